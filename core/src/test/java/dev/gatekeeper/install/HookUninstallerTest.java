package dev.gatekeeper.install;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HookUninstallerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-04T05:06:07Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;
    Path repo;
    Path hook;
    HookRuntime runtime;

    @BeforeEach
    void setUp() throws Exception {
        runtime = Fixtures.fakeRuntime(tmp.resolve("runtime"));
        repo = Fixtures.bare(tmp.resolve("app.git"));
        hook = repo.resolve("hooks/pre-receive");
    }

    private void install() throws Exception {
        HookInstaller.Result r = new HookInstaller().setSelfTest(false).setRuntime(runtime).setRepositories(List.of(repo)).call().get(0);
        assertTrue(r.ok(), () -> r.problem().orElse(""));
    }

    private HookUninstaller.Result uninstall(boolean force) throws Exception {
        return new HookUninstaller().setRepositories(List.of(repo)).setForce(force).setClock(CLOCK).call().get(0);
    }

    @Test
    void restoresTheChainedHookByteForByteWithItsModeAndUnsetsTheConfig() throws Exception {
        byte[] original = {'#', '!', '/', 'b', 'i', 'n', '/', 's', 'h', '\n', (byte) 0xff, (byte) 0xfe, '\r', '\n', 0};
        Files.write(hook, original);
        InstallFiles.setMode(hook, "0751");
        install();
        assertTrue(HookScript.isManaged(Files.readAllBytes(hook)));

        HookUninstaller.Result r = uninstall(false);

        assertEquals(HookUninstaller.Outcome.REMOVED, r.outcome(), () -> r.problem().orElse(""));
        assertArrayEquals(original, Files.readAllBytes(hook));
        assertEquals("0751", InstallFiles.modeOf(hook));
        assertNull(Fixtures.config(repo, "receive.advertisePushOptions"));
        assertFalse(Fixtures.read(repo.resolve("config")).contains("[receive]"), "no empty section is left");
        assertFalse(Files.exists(HookManifest.file(repo)));
        try (var left = Files.list(repo.resolve("gatekeeper"))) {
            assertEquals(List.of(repo.resolve("gatekeeper/repository-id")), left.toList(),
                    "only the repository's identity stays: tokens keep naming it across a reinstall");
        }
        assertEquals(HookStatus.State.MISSING, HookStatus.check(repo).state());
    }

    @Test
    void restoresAPreviousConfigValueAndKeepsTheGatekeeperFolderWhenItHoldsOtherFiles() throws Exception {
        Fixtures.git(repo, "config", "receive.advertisePushOptions", "false");
        Files.createDirectories(repo.resolve("gatekeeper"));
        Files.writeString(repo.resolve("gatekeeper/events.jsonl"), "{}\n");
        install();
        assertEquals("true", Fixtures.config(repo, "receive.advertisePushOptions"));

        HookUninstaller.Result r = uninstall(false);

        assertEquals(HookUninstaller.Outcome.REMOVED, r.outcome());
        assertEquals("false", Fixtures.config(repo, "receive.advertisePushOptions"));
        assertFalse(Files.exists(hook));
        assertTrue(Files.exists(repo.resolve("gatekeeper/events.jsonl")), "the audit log is not the hook's");
    }

    @Test
    void aValueChangedAfterInstallIsLeftAlone() throws Exception {
        install();
        Fixtures.git(repo, "config", "receive.advertisePushOptions", "false");

        HookUninstaller.Result r = uninstall(false);

        assertEquals(HookUninstaller.Outcome.REMOVED, r.outcome());
        assertEquals("false", Fixtures.config(repo, "receive.advertisePushOptions"));
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("left as it is")), r.notes().toString());
    }

    @Test
    void aModifiedHookIsRefusedWithoutForceAndSavedBeforeRemovalWithForce() throws Exception {
        byte[] original = "#!/bin/sh\necho original\n".getBytes(StandardCharsets.UTF_8);
        Files.write(hook, original);
        InstallFiles.setMode(hook, "0755");
        install();
        Files.writeString(hook, "echo someone was here\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        byte[] modified = Files.readAllBytes(hook);

        HookUninstaller.Result refused = uninstall(false);

        assertEquals(HookUninstaller.Outcome.REFUSED, refused.outcome());
        assertTrue(refused.problem().orElseThrow().contains("hooks/pre-receive changed"), refused.problem().get());
        assertArrayEquals(modified, Files.readAllBytes(hook), "nothing was touched");
        assertTrue(Files.exists(HookManifest.file(repo)));
        assertEquals("true", Fixtures.config(repo, "receive.advertisePushOptions"));

        HookUninstaller.Result forced = uninstall(true);

        assertEquals(HookUninstaller.Outcome.REMOVED, forced.outcome(), () -> forced.problem().orElse(""));
        Path saved = repo.resolve("gatekeeper/saved/pre-receive.20250304T050607Z");
        assertEquals(List.of(saved), forced.saved());
        assertArrayEquals(modified, Files.readAllBytes(saved));
        assertArrayEquals(original, Files.readAllBytes(hook), "the chained original is back");
        assertFalse(Files.exists(HookManifest.file(repo)));
    }

    @Test
    void aHookReplacedByAForeignOneIsNeverDeletedSilently() throws Exception {
        install();
        Fixtures.script(hook, "#!/bin/sh\necho not ours\n");

        assertEquals(HookUninstaller.Outcome.REFUSED, uninstall(false).outcome());
        assertEquals("#!/bin/sh\necho not ours\n", Fixtures.read(hook));
    }

    @Test
    void nothingInstalledIsNotInstalled() throws Exception {
        HookUninstaller.Result r = uninstall(false);

        assertEquals(HookUninstaller.Outcome.NOT_INSTALLED, r.outcome());
        assertTrue(r.ok());
        assertFalse(Files.exists(repo.resolve("gatekeeper")), "the lock leaves nothing behind");
    }

    @Test
    void aMarkedHookWithoutManifestNeedsForceAndIsSaved() throws Exception {
        Fixtures.script(hook, "#!/bin/sh\necho original\n");
        install();
        Files.delete(HookManifest.file(repo));

        assertEquals(HookUninstaller.Outcome.REFUSED, uninstall(false).outcome());
        HookUninstaller.Result forced = uninstall(true);

        assertEquals(HookUninstaller.Outcome.REMOVED, forced.outcome());
        assertEquals(2, forced.saved().size(), "pre-receive and post-receive");
        assertTrue(HookScript.isManaged(Files.readAllBytes(forced.saved().get(0))));
        assertTrue(HookScript.isManaged(Files.readAllBytes(forced.saved().get(1))));
        assertEquals("#!/bin/sh\necho original\n", Fixtures.read(hook), "the chained original is back");
    }

    @Test
    void aSymlinkedHookIsChainedAndRestoredAsTheSameLink() throws Exception {
        Path shared = Fixtures.script(tmp.resolve("shared/pre-receive"), "#!/bin/sh\nexit 0\n");
        Path link = repo.getParent().relativize(shared); // relative, as shared hook setups often are
        Files.createSymbolicLink(hook, Path.of("..").resolve("..").resolve(link));
        assertTrue(Files.exists(hook));
        install();
        Path chained = repo.resolve("gatekeeper/chained/pre-receive");
        assertTrue(Files.isSymbolicLink(chained));
        assertEquals(shared.toRealPath(), chained.toRealPath(), "still the shared hook from its new place");

        assertEquals(HookUninstaller.Outcome.REMOVED, uninstall(false).outcome());

        assertTrue(Files.isSymbolicLink(hook));
        assertEquals(Path.of("..").resolve("..").resolve(link), Files.readSymbolicLink(hook));
    }
}
