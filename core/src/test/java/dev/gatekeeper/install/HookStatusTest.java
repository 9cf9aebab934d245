package dev.gatekeeper.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HookStatusTest {
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

    private HookStatus.Result status() throws Exception {
        List<HookStatus.Result> results = new HookStatus().setRepositories(List.of(repo)).call();
        assertEquals(1, results.size());
        return results.get(0);
    }

    private static String reasons(HookStatus.Result r) {
        return r.findings().toString();
    }

    @Test
    void installedThenTamperedAfterAnAppendedLineThenMissingAfterDeletion() throws Exception {
        assertEquals(HookStatus.State.MISSING, status().state(), "before install");

        install();
        HookStatus.Result ok = status();
        assertEquals(HookStatus.State.INSTALLED, ok.state(), reasons(ok));
        assertTrue(ok.findings().isEmpty());
        assertTrue(ok.manifest().isPresent());

        Files.writeString(hook, "exit 0\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        HookStatus.Result tampered = status();
        assertEquals(HookStatus.State.TAMPERED, tampered.state());
        assertEquals("hooks/pre-receive", tampered.findings().get(0).subject());
        assertTrue(tampered.findings().get(0).reason().contains("changed since it was installed"), reasons(tampered));

        Files.delete(hook);
        HookStatus.Result missing = status();
        assertEquals(HookStatus.State.MISSING, missing.state());
        assertTrue(missing.findings().get(0).reason().contains("pushes are not checked"), reasons(missing));
    }

    @Test
    void aHookThatIsNoLongerExecutableIsNotRunByGit() throws Exception {
        install();
        InstallFiles.setMode(hook, "0644");

        HookStatus.Result r = status();

        assertEquals(HookStatus.State.NOT_RUN_BY_GIT, r.state());
        assertTrue(r.findings().get(0).reason().contains("git skips it"), reasons(r));
    }

    @Test
    void aModifiedChainedHookIsTampered() throws Exception {
        Fixtures.script(hook, "#!/bin/sh\nexit 0\n");
        install();
        Files.writeString(repo.resolve("gatekeeper/chained/pre-receive"), "#!/bin/sh\nexit 0\n# more\n");

        HookStatus.Result r = status();

        assertEquals(HookStatus.State.TAMPERED, r.state());
        assertEquals("gatekeeper/chained/pre-receive", r.findings().get(0).subject());
        assertTrue(r.findings().get(0).reason().contains("changed since it was chained"), reasons(r));
    }

    @Test
    void pushOptionsNoLongerAdvertisedIsTampered() throws Exception {
        install();
        Fixtures.git(repo, "config", "receive.advertisePushOptions", "false");

        HookStatus.Result r = status();

        assertEquals(HookStatus.State.TAMPERED, r.state());
        assertEquals("receive.advertisePushOptions", r.findings().get(0).subject());
        assertTrue(r.findings().get(0).reason().contains("is 'false'"), reasons(r));

        Fixtures.git(repo, "config", "receive.advertisePushOptions", "yes");
        assertEquals(HookStatus.State.INSTALLED, status().state(), "any spelling of true is true");
        Fixtures.git(repo, "config", "--unset", "receive.advertisePushOptions");
        assertEquals(HookStatus.State.TAMPERED, status().state());
    }

    @Test
    void aHooksPathSteeringGitAwayIsNotRunByGit() throws Exception {
        install();
        Fixtures.git(repo, "config", "core.hooksPath", "/dev/null");

        HookStatus.Result r = status();

        assertEquals(HookStatus.State.NOT_RUN_BY_GIT, r.state());
        assertEquals("core.hooksPath", r.findings().get(0).subject());
        assertTrue(r.findings().get(0).reason().contains("git runs /dev/null/pre-receive"), reasons(r));
    }

    @Test
    void aHooksPathInTheOwnersGlobalConfigIsSeenToo() throws Exception {
        install();
        Path home = Files.createDirectories(tmp.resolve("home"));
        Files.writeString(home.resolve(".gitconfig"), "[core]\n\thooksPath = /srv/shared-hooks\n");

        HookStatus.Result r = HookStatus.check(repo, Map.of("HOME", home.toString()));

        // git reads the global config of whoever runs it: this HOME stands for the git account's
        assertEquals(HookStatus.State.NOT_RUN_BY_GIT, r.state());
        assertTrue(r.findings().get(0).reason().contains("/srv/shared-hooks") && r.findings().get(0).reason()
                .contains(".gitconfig"), reasons(r));
    }

    @Test
    void aGoneRuntimeWithNoOtherJavaIsRuntimeMissingBecauseEveryPushIsThenRefused() throws Exception {
        install();
        Files.delete(runtime.java());
        Path emptyConfig = Files.createDirectories(tmp.resolve("etc-none"));

        HookStatus.Result r = HookStatus.check(repo, Map.of("PATH", "/nonexistent",
                "GATEKEEPER_CONFIG_DIR", emptyConfig.toString()));

        assertEquals(HookStatus.State.RUNTIME_MISSING, r.state());
        assertTrue(r.findings().get(0).reason().contains("java binary is gone"), reasons(r));
    }

    @Test
    void aGoneRuntimeWithAJavaHomeIsRuntimeMovedForTheHookFallsBackToIt() throws Exception {
        install();
        Files.delete(runtime.java());
        Path emptyConfig = Files.createDirectories(tmp.resolve("etc-none"));

        HookStatus.Result r = HookStatus.check(repo, Map.of("PATH", "/nonexistent", "JAVA_HOME",
                System.getProperty("java.home"), "GATEKEEPER_CONFIG_DIR", emptyConfig.toString()));

        assertEquals(HookStatus.State.RUNTIME_MOVED, r.state());
        assertTrue(r.findings().get(0).reason().contains("runs on " + System.getProperty("java.home")), reasons(r));
    }

    @Test
    void aGoneJarWithNoOtherIsRuntimeMissingNamingWhereTheHookLooked() throws Exception {
        Path linked = tmp.resolve("opt/gatekeeper/lib/hook/gatekeeper-hook.jar");
        runtime = runtime.withLinkedJar(linked);
        install();
        Files.delete(runtime.classpath().get(0));
        Path emptyConfig = Files.createDirectories(tmp.resolve("etc-none"));
        // no hook jar: not a jar at all, and a zip without the hook's main class
        Path notAJar = Files.writeString(tmp.resolve("notes.txt"), "text\n");
        Files.createDirectories(linked.getParent());
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(linked))) {
            z.putNextEntry(new java.util.zip.ZipEntry("something/Else.class"));
            z.closeEntry();
        }

        HookStatus.Result r = HookStatus.check(repo, Map.of("GATEKEEPER_CONFIG_DIR", emptyConfig.toString(),
                HookScript.ENV_JAR, notAJar.toString()));

        assertEquals(HookStatus.State.RUNTIME_MISSING, r.state(), reasons(r));
        assertEquals(runtime.classpath().get(0).toString(), r.findings().get(0).subject());
        assertTrue(r.findings().get(0).reason().contains("no other Gatekeeper hook jar is configured"
                + " ($GATEKEEPER_HOOK_JAR, " + emptyConfig.resolve("hook-jar") + ", " + linked + ")"), reasons(r));
    }

    @Test
    void aGoneJarWithTheLinkedOneThereIsRuntimeMovedAndStaysSoUntilReinstalled() throws Exception {
        Path linked = Fixtures.hookJar(tmp.resolve("opt/gatekeeper/lib/hook/gatekeeper-hook.jar"));
        runtime = runtime.withLinkedJar(linked);
        install();
        Path recorded = runtime.classpath().get(0);
        Files.delete(recorded);
        Map<String, String> env = Map.of("GATEKEEPER_CONFIG_DIR", Files.createDirectories(tmp.resolve("etc-none"))
                .toString());

        HookStatus.Result r = HookStatus.check(repo, env);

        assertEquals(HookStatus.State.RUNTIME_MOVED, r.state(), reasons(r));
        assertEquals(recorded.toString(), r.findings().get(0).subject());
        assertTrue(r.findings().get(0).reason().contains("runs " + linked + " instead"), reasons(r));
        assertEquals(HookStatus.State.RUNTIME_MOVED, HookStatus.check(repo, env).state(), "read-only: no heal");

        // reinstalled with the jar the link now leads to: recorded, INSTALLED
        runtime = new HookRuntime(runtime.java(), List.of(linked), runtime.jvmOptions(), Optional.empty());
        install();
        assertEquals(HookStatus.State.INSTALLED, HookStatus.check(repo, env).state());
    }

    @Test
    void aGoneJarWithOneNamedInTheConfigFolderIsRuntimeMoved() throws Exception {
        install();
        Files.delete(runtime.classpath().get(0));
        Path etc = Files.createDirectories(tmp.resolve("etc"));
        Path configured = Fixtures.hookJar(tmp.resolve("versions/B/lib/hook/gatekeeper-hook.jar"));
        Files.writeString(etc.resolve("hook-jar"), configured + "\n");

        HookStatus.Result r = HookStatus.check(repo, Map.of("GATEKEEPER_CONFIG_DIR", etc.toString()));

        assertEquals(HookStatus.State.RUNTIME_MOVED, r.state(), reasons(r));
        assertTrue(r.findings().get(0).reason().contains("runs " + configured + " instead"), reasons(r));
    }

    @Test
    void theLinkedJarSurvivesTheManifest() throws Exception {
        Path linked = Fixtures.hookJar(tmp.resolve("opt/gatekeeper/lib/hook/gatekeeper-hook.jar"));
        runtime = runtime.withLinkedJar(linked);
        install();

        HookManifest m = HookManifest.read(repo).orElseThrow();

        assertEquals(linked.toString(), m.runtime().linkedJar());
        assertEquals(runtime, m.runtime().toRuntime());
    }

    @Test
    void aMarkedHookWithoutManifestIsMissingWithTheReason() throws Exception {
        install();
        Files.delete(HookManifest.file(repo));

        HookStatus.Result r = status();

        assertEquals(HookStatus.State.MISSING, r.state());
        assertTrue(r.findings().get(0).reason().contains("manifest is gone"), reasons(r));
    }

    @Test
    void anUnreadableManifestIsTampered() throws Exception {
        install();
        Files.writeString(HookManifest.file(repo), "{ not json");

        HookStatus.Result r = status();

        assertEquals(HookStatus.State.TAMPERED, r.state());
        assertTrue(r.findings().get(0).reason().contains("not readable"), reasons(r));
    }

    @Test
    void allChecksEveryBareRepository() throws Exception {
        install();
        Path other = Fixtures.bare(tmp.resolve("other.git"));

        List<HookStatus.Result> results = new HookStatus().setAll(tmp).call();

        assertEquals(List.of(repo, other), results.stream().map(HookStatus.Result::gitDir).toList());
        assertEquals(List.of(HookStatus.State.INSTALLED, HookStatus.State.MISSING),
                results.stream().map(HookStatus.Result::state).toList());
    }

    @Test
    void anInstallByTheVersionBeforeTheRecorderAndTheJarFallbackIsOutdatedNamingWhatItLacks() throws Exception {
        install();
        OlderInstall.asVersion2(repo);

        HookStatus.Result r = status();

        assertEquals(HookStatus.State.OUTDATED, r.state(), reasons(r));
        assertEquals(2, r.findings().size(), reasons(r));
        assertEquals("hooks/post-receive", r.findings().get(0).subject());
        assertTrue(r.findings().get(0).reason().startsWith("no post-receive recorder: landed pushes are not recorded"),
                reasons(r));
        assertEquals("hooks/pre-receive", r.findings().get(1).subject());
        assertTrue(r.findings().get(1).reason().startsWith("hook script v2: no hook-jar fallback (a deleted version"
                + " folder would refuse every push)"), reasons(r));

        install();
        HookStatus.Result after = status();
        assertEquals(HookStatus.State.INSTALLED, after.state(), reasons(after));
    }

    @Test
    void onlyTheRecorderMissingIsOutdatedForThatAlone() throws Exception {
        install();
        HookManifest m = HookManifest.read(repo).orElseThrow();
        Files.delete(repo.resolve("hooks/post-receive"));
        new HookManifest(m.version(), m.installedAt(), m.mode(), m.layout(), m.runtime(),
                m.files().stream().filter(f -> !f.hook().equals("post-receive")).toList(), m.chained(), m.config(),
                m.policy(), m.createdDirectories()).write(repo);

        HookStatus.Result r = status();

        assertEquals(HookStatus.State.OUTDATED, r.state(), reasons(r));
        assertEquals(1, r.findings().size(), reasons(r));
        assertTrue(r.findings().get(0).reason().contains("no post-receive recorder"), reasons(r));
    }

    @Test
    void aRecorderInTheManifestButDeletedIsMissingNotOutdated() throws Exception {
        install();
        Files.delete(repo.resolve("hooks/post-receive"));

        HookStatus.Result r = status();

        assertEquals(HookStatus.State.MISSING, r.state(), reasons(r));
        assertTrue(r.findings().stream().noneMatch(f -> f.state() == HookStatus.State.OUTDATED), reasons(r));
    }

    @Test
    void aVersion2HookWhoseJarIsGoneIsRuntimeMissingThoughAFallbackJarIsThere() throws Exception {
        install();
        OlderInstall.asVersion2(repo);
        Files.delete(runtime.classpath().get(0));
        Path etc = Files.createDirectories(tmp.resolve("etc"));
        Path configured = Fixtures.hookJar(tmp.resolve("versions/B/lib/hook/gatekeeper-hook.jar"));
        Files.writeString(etc.resolve("hook-jar"), configured + "\n");

        HookStatus.Result r = HookStatus.check(repo, Map.of("GATEKEEPER_CONFIG_DIR", etc.toString()));

        assertEquals(HookStatus.State.RUNTIME_MISSING, r.state(), "a v2 hook refuses every push: " + reasons(r));
        assertTrue(r.findings().get(0).reason().contains("(v2) has no hook-jar fallback"), reasons(r));
    }

    @Test
    void clientHooksHaveNoRecorderAndAreNotOutdatedForIt() throws Exception {
        Path clone = Fixtures.clone(tmp.resolve("work"));
        HookInstaller.Result r = new HookInstaller().setSelfTest(false).setRuntime(runtime).setClient(true)
                .setRepositories(List.of(clone)).call().get(0);
        assertTrue(r.ok(), () -> r.problem().orElse(""));

        HookStatus.Result st = HookStatus.check(clone.resolve(".git"), Map.of());

        assertEquals(HookStatus.State.INSTALLED, st.state(), reasons(st));
    }

    @Test
    void aGitalyTarballWithoutTheRecorderIsOutdatedAndOneWithItIsInstalled() throws Exception {
        Path tar = tmp.resolve("hooks.tar");
        GitalyTarball.write(tar, runtime, "version: 1\nprotected:\n  - ref: refs/heads/main\n".getBytes());
        Path gitaly = Fixtures.bare(tmp.resolve("@hashed/ab/cd/abcd.git"));
        Fixtures.Run x = Fixtures.run(List.of("tar", "-xf", tar.toString()), gitaly, Map.of(), null);
        assertEquals(0, x.exit(), x.stderr());
        assertEquals(HookStatus.State.INSTALLED, HookStatus.check(gitaly, Map.of()).state());

        // an archive made before it carried the recorder (17c0bcc^): the gate only
        Files.delete(gitaly.resolve(GitalyTarball.RECORDER_PATH));
        HookStatus.Result r = HookStatus.check(gitaly, Map.of());

        assertEquals(HookStatus.State.OUTDATED, r.state(), reasons(r));
        assertEquals(GitalyTarball.RECORDER_PATH, r.findings().get(0).subject());
    }

    @Test
    void theScriptVersionIsReadFromTheMarker() {
        assertEquals(3, HookScript.VERSION);
        assertEquals(java.util.OptionalInt.of(HookScript.VERSION),
                HookScript.version(("#!/bin/sh\n" + HookScript.MARKER + "\n").getBytes()));
        assertEquals(java.util.OptionalInt.of(2), HookScript.version("#!/bin/sh\n# gatekeeper-managed hook v2\n".getBytes()));
        assertEquals(java.util.OptionalInt.empty(), HookScript.version("#!/bin/sh\nexit 0\n".getBytes()));
        assertEquals(java.util.OptionalInt.empty(), HookScript.version("#!/bin/sh\n# gatekeeper-managed hook vX\n".getBytes()));
    }
}
