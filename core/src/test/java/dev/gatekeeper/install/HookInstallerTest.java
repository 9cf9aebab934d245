package dev.gatekeeper.install;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HookInstallerTest {
    @TempDir
    Path tmp;

    private HookInstaller installer() throws Exception {
        return new HookInstaller().setSelfTest(false).setRuntime(Fixtures.fakeRuntime(tmp.resolve("runtime")));
    }

    @Test
    void installsAnExecutableMarkedHookWithManifestAndConfigIntoAPlainBareRepository() throws Exception {
        Path repo = Fixtures.bare(tmp.resolve("app.git"));

        List<HookInstaller.Result> results = installer().setRepositories(List.of(repo)).call();

        assertEquals(1, results.size());
        HookInstaller.Result r = results.get(0);
        assertEquals(HookInstaller.Outcome.INSTALLED, r.outcome(), () -> r.problem().orElse(""));
        assertEquals(HookLayout.PLAIN, r.layout());
        Path hook = repo.resolve("hooks/pre-receive");
        Path landed = repo.resolve("hooks/post-receive");
        assertEquals(List.of(hook, landed), r.hooks(), "the gate, and the recorder of what landed");
        assertTrue(Files.isExecutable(hook));
        assertTrue(Files.isExecutable(landed));
        assertTrue(Fixtures.read(landed).contains(" -cp \"$CP\" dev.gatekeeper.hooks.HookMain post-receive\n"));
        assertEquals("app\n", Fixtures.read(repo.resolve("gatekeeper/repository-id")), "the folder name, recorded");
        List<String> lines = Files.readAllLines(hook);
        assertEquals("#!/bin/sh", lines.get(0));
        assertEquals(HookScript.MARKER, lines.get(1));
        String script = Fixtures.read(hook);
        assertTrue(script.contains("exec \"$JAVA\" "), script);
        assertTrue(script.contains(" -cp \"$CP\" dev.gatekeeper.hooks.HookMain pre-receive\n"), script);
        assertTrue(script.contains("export GIT_CONFIG_NOSYSTEM"), script);
        assertEquals("0755", InstallFiles.modeOf(hook));

        HookManifest m = HookManifest.read(repo).orElseThrow();
        assertEquals(HookManifest.VERSION, m.version());
        assertEquals(HookManifest.SERVER, m.mode());
        assertEquals(HookLayout.PLAIN, m.layout());
        assertEquals(2, m.files().size());
        assertEquals("hooks/pre-receive", m.files().get(0).path());
        assertEquals("hooks/post-receive", m.files().get(1).path());
        assertEquals(InstallFiles.sha256(Files.readAllBytes(hook)), m.files().get(0).sha256());
        assertTrue(m.chained().isEmpty());
        assertEquals(List.of(new HookManifest.ConfigValue("receive.advertisePushOptions", "true", null)), m.config());
        assertEquals("true", Fixtures.config(repo, "receive.advertisePushOptions"));
        // The manifest is plain JSON anyone can read.
        String json = Fixtures.read(repo.resolve("gatekeeper/hooks-manifest.json"));
        assertTrue(json.contains("\"sha256\" : \"" + m.files().get(0).sha256() + "\""), json);
        assertTrue(json.contains("\"installedAt\""), json);
        assertFalse(Files.exists(repo.resolve("gatekeeper/hooks.lock")), "the lock is released");
    }

    @Test
    void anExistingHookIsChainedKeepingBytesAndMode() throws Exception {
        Path repo = Fixtures.bare(tmp.resolve("app.git"));
        Path hook = repo.resolve("hooks/pre-receive");
        byte[] original = "#!/bin/sh\n# the admin's hook \u00e9\nexit 0".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(hook, original);
        InstallFiles.setMode(hook, "0750");

        HookInstaller.Result r = installer().setRepositories(List.of(repo)).call().get(0);

        assertEquals(HookInstaller.Outcome.INSTALLED, r.outcome(), () -> r.problem().orElse(""));
        Path chained = repo.resolve("gatekeeper/chained/pre-receive");
        assertArrayEquals(original, Files.readAllBytes(chained));
        assertEquals("0750", InstallFiles.modeOf(chained));
        assertTrue(HookScript.isManaged(Files.readAllBytes(hook)));
        assertTrue(Fixtures.read(hook).contains("CHAINED=" + chained), Fixtures.read(hook));
        HookManifest.ChainedHook c = HookManifest.read(repo).orElseThrow().chained().get(0);
        assertEquals(new HookManifest.ChainedHook("pre-receive", "gatekeeper/chained/pre-receive", "hooks/pre-receive",
                InstallFiles.sha256(original), "0750", null), c);
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("now runs after the gate")), r.notes().toString());
    }

    @Test
    void reinstallingIsIdempotentAndKeepsTheChainedOriginalAndThePreviousConfigValue() throws Exception {
        Path repo = Fixtures.bare(tmp.resolve("app.git"));
        Fixtures.git(repo, "config", "receive.advertisePushOptions", "false");
        Path hook = repo.resolve("hooks/pre-receive");
        byte[] original = "#!/bin/sh\necho original\n".getBytes(StandardCharsets.UTF_8);
        Files.write(hook, original);
        InstallFiles.setMode(hook, "0755");

        installer().setRepositories(List.of(repo)).call();
        byte[] first = Files.readAllBytes(hook);
        HookManifest m1 = HookManifest.read(repo).orElseThrow();
        HookInstaller.Result again = installer().setRepositories(List.of(repo)).call().get(0);

        assertEquals(HookInstaller.Outcome.UNCHANGED, again.outcome(), () -> again.problem().orElse(""));
        assertArrayEquals(first, Files.readAllBytes(hook));
        HookManifest m2 = HookManifest.read(repo).orElseThrow();
        assertEquals(m1.files(), m2.files());
        assertEquals(m1.chained(), m2.chained());
        assertArrayEquals(original, Files.readAllBytes(repo.resolve("gatekeeper/chained/pre-receive")),
                "our own hook was not chained over the original");
        assertEquals("false", m2.config().get(0).previous(), "the value before the first install is remembered");
        assertEquals(List.of("repository id: app (recorded before, kept)"), again.notes());
        try (var files = Files.list(repo.resolve("gatekeeper/chained"))) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void reinstallOverAnEditedHookSavesTheEditedCopyFirst() throws Exception {
        Path repo = Fixtures.bare(tmp.resolve("app.git"));
        installer().setRepositories(List.of(repo)).call();
        Path hook = repo.resolve("hooks/pre-receive");
        Files.writeString(hook, "echo edited\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        String edited = Fixtures.read(hook);

        HookInstaller.Result r = installer().setRepositories(List.of(repo)).call().get(0);

        assertEquals(HookInstaller.Outcome.UPDATED, r.outcome());
        assertFalse(Fixtures.read(hook).contains("echo edited"));
        try (var saved = Files.list(repo.resolve("gatekeeper/saved"))) {
            Path copy = saved.findFirst().orElseThrow();
            assertTrue(copy.getFileName().toString().startsWith("pre-receive."), copy.toString());
            assertEquals(edited, Fixtures.read(copy));
        }
        assertTrue(Files.notExists(repo.resolve("gatekeeper/chained")), "our own edited hook is not chained");
    }

    @Test
    void reinstallAfterTheChainedOriginalWasDeletedSaysSoAndStopsRunningIt() throws Exception {
        Path repo = Fixtures.bare(tmp.resolve("app.git"));
        Fixtures.script(repo.resolve("hooks/pre-receive"), "#!/bin/sh\nexit 0\n");
        installer().setRepositories(List.of(repo)).call();
        Files.delete(repo.resolve("gatekeeper/chained/pre-receive"));

        HookInstaller.Result r = installer().setRepositories(List.of(repo)).call().get(0);

        assertEquals(HookInstaller.Outcome.UPDATED, r.outcome());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("is gone and cannot be restored")), r.notes().toString());
        assertFalse(Fixtures.read(repo.resolve("hooks/pre-receive")).contains("CHAINED="));
        assertTrue(HookManifest.read(repo).orElseThrow().chained().isEmpty());
        assertEquals(HookStatus.State.INSTALLED, HookStatus.check(repo).state());
    }

    @Test
    void anInstallInterruptedAfterCopyingTheOriginalAsideIsFinished() throws Exception {
        Path repo = Fixtures.bare(tmp.resolve("app.git"));
        Path hook = Fixtures.script(repo.resolve("hooks/pre-receive"), "#!/bin/sh\necho original\n");
        InstallFiles.copyAtomically(hook, repo.resolve("gatekeeper/chained/pre-receive"));

        HookInstaller.Result r = installer().setRepositories(List.of(repo)).call().get(0);

        assertEquals(HookInstaller.Outcome.INSTALLED, r.outcome(), () -> r.problem().orElse(""));
        assertTrue(HookScript.isManaged(Files.readAllBytes(hook)));
        assertEquals("hooks/pre-receive", HookManifest.read(repo).orElseThrow().chained().get(0).originalPath());
        new HookUninstaller().setRepositories(List.of(repo)).call();
        assertEquals("#!/bin/sh\necho original\n", Fixtures.read(hook));
    }

    @Test
    void aForeignHookNextToADifferentChainedOneIsRefusedSoNeitherIsLost() throws Exception {
        Path repo = Fixtures.bare(tmp.resolve("app.git"));
        Path hook = Fixtures.script(repo.resolve("hooks/pre-receive"), "#!/bin/sh\necho original\n");
        installer().setRepositories(List.of(repo)).call();
        Fixtures.script(hook, "#!/bin/sh\necho a newer foreign hook\n");

        HookInstaller.Result r = installer().setRepositories(List.of(repo)).call().get(0);

        assertEquals(HookInstaller.Outcome.FAILED, r.outcome());
        assertTrue(r.problem().orElseThrow().contains("move one of them away"), r.problem().get());
        assertEquals("#!/bin/sh\necho a newer foreign hook\n", Fixtures.read(hook));
        assertEquals("#!/bin/sh\necho original\n", Fixtures.read(repo.resolve("gatekeeper/chained/pre-receive")));
    }

    @Test
    void autoLayoutPutsTheHookWhereGitLabAndGiteaRunThem() throws Exception {
        Path gitlab = Fixtures.bare(tmp.resolve("gitlab.git"));
        Files.createDirectories(gitlab.resolve("custom_hooks"));
        Fixtures.git(gitlab, "config", "gitlab.fullpath", "group/gitlab"); // what Gitaly records
        Path gitea = Fixtures.bare(tmp.resolve("gitea.git"));
        Files.createDirectories(gitea.resolve("hooks/pre-receive.d"));
        Path giteaDispatcher = Fixtures.script(gitea.resolve("hooks/pre-receive"), GITEA_DISPATCHER);
        byte[] dispatcher = Files.readAllBytes(giteaDispatcher);

        List<HookInstaller.Result> results = installer().setRepositories(List.of(gitlab, gitea)).call();

        assertEquals(HookLayout.GITLAB, results.get(0).layout());
        Path gl = gitlab.resolve("custom_hooks/pre-receive.d/gatekeeper");
        assertEquals(List.of(gl, gitlab.resolve("custom_hooks/post-receive.d/gatekeeper")), results.get(0).hooks());
        assertTrue(Files.isExecutable(gl) && HookScript.isManaged(Files.readAllBytes(gl)));
        assertFalse(Files.exists(gitlab.resolve("hooks/pre-receive")));

        assertEquals(HookLayout.GITEA, results.get(1).layout());
        Path gt = gitea.resolve("hooks/pre-receive.d/gatekeeper");
        assertEquals(List.of(gt, gitea.resolve("hooks/post-receive.d/gatekeeper")), results.get(1).hooks());
        assertTrue(Files.isExecutable(gt) && HookScript.isManaged(Files.readAllBytes(gt)));
        assertArrayEquals(dispatcher, Files.readAllBytes(giteaDispatcher), "gitea's dispatcher is left alone");
        assertTrue(HookManifest.read(gitea).orElseThrow().chained().isEmpty());
        assertEquals("hooks/pre-receive.d/gatekeeper", HookManifest.read(gitea).orElseThrow().files().get(0).path());
    }

    /** Gitea's and Forgejo's generated hooks/pre-receive, in substance: every executable in pre-receive.d. */
    static final String GITEA_DISPATCHER = "#!/bin/sh\n# dispatcher\ndata=$(cat)\nhookname=$(basename $0)\n"
            + "for hook in ${GIT_DIR}/hooks/${hookname}.d/*; do\n  test -x \"${hook}\" && test -f \"${hook}\" || continue\n"
            + "  echo \"${data}\" | \"${hook}\" || exit $?\ndone\n";

    @Test
    void aGiteaLayoutWithoutGiteasDispatcherIsRefusedUntouchedUnlessForced() throws Exception {
        Path repo = Fixtures.bare(tmp.resolve("app.git"));

        HookInstaller.Result r = installer().setRepositories(List.of(repo)).setLayout(HookLayout.GITEA).call().get(0);

        assertEquals(HookInstaller.Outcome.REFUSED, r.outcome());
        assertEquals(ExitCode.USAGE, HookInstaller.Result.exitCode(List.of(r)));
        assertTrue(r.problem().orElseThrow().contains("would never run"), r.problem().toString());
        assertFalse(Files.exists(repo.resolve("hooks/pre-receive.d")));
        assertFalse(Files.exists(repo.resolve("gatekeeper")), "a refused repository is not touched");
        assertNull(Fixtures.config(repo, "receive.advertisePushOptions"));

        HookInstaller.Result forced = installer().setRepositories(List.of(repo)).setLayout(HookLayout.GITEA)
                .setForce(true).call().get(0);
        assertEquals(HookInstaller.Outcome.INSTALLED, forced.outcome(), () -> forced.problem().orElse(""));
        assertTrue(forced.notes().stream().anyMatch(n -> n.startsWith("WARNING (--force)")), forced.notes().toString());
        assertEquals(HookStatus.State.NOT_RUN_BY_GIT, HookStatus.check(repo).state(), "and status says so");
    }

    @Test
    void aGitLabLayoutOnARepositoryGitalyDoesNotServeIsRefused() throws Exception {
        Path repo = Fixtures.bare(tmp.resolve("app.git"));
        Files.createDirectories(repo.resolve("custom_hooks"));

        HookInstaller.Result r = installer().setRepositories(List.of(repo)).call().get(0);

        assertEquals(HookInstaller.Outcome.REFUSED, r.outcome(), "AUTO picks GITLAB for custom_hooks/, then checks it");
        assertTrue(r.problem().orElseThrow().contains("gitlab.fullpath"), r.problem().toString());
        assertFalse(Files.exists(repo.resolve("custom_hooks/pre-receive.d")));
    }

    @Test
    void aHooksPathInsideTheRepositoryIsFollowed() throws Exception {
        Path repo = Fixtures.bare(tmp.resolve("app.git"));
        Fixtures.git(repo, "config", "core.hooksPath", "server-hooks");

        HookInstaller.Result r = installer().setRepositories(List.of(repo)).call().get(0);

        assertEquals(HookInstaller.Outcome.INSTALLED, r.outcome(), () -> r.problem().orElse(""));
        assertEquals(List.of(repo.resolve("server-hooks/pre-receive"), repo.resolve("server-hooks/post-receive")),
                r.hooks());
        assertFalse(Files.exists(repo.resolve("hooks/pre-receive")));
        assertEquals(HookStatus.State.INSTALLED, HookStatus.check(repo).state());
        Fixtures.git(repo, "config", "--unset", "core.hooksPath");
        assertEquals(HookStatus.State.NOT_RUN_BY_GIT, HookStatus.check(repo).state(), "git is back on hooks/");
    }

    @Test
    void withoutAnyPolicyTheDefaultOneProtectsTheDefaultBranchAndReleaseTags() throws Exception {
        Path repo = Fixtures.bare(tmp.resolve("app.git"));
        Fixtures.git(repo, "symbolic-ref", "HEAD", "refs/heads/trunk");
        Path emptyConfigDir = Files.createDirectories(tmp.resolve("etc-gatekeeper"));

        HookInstaller.Result r = installer().setRepositories(List.of(repo))
                .setEnvironment(java.util.Map.of("GATEKEEPER_CONFIG_DIR", emptyConfigDir.toString())).call().get(0);

        assertEquals(HookInstaller.Outcome.INSTALLED, r.outcome(), () -> r.problem().orElse(""));
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("installed the default policy")), r.notes().toString());
        dev.gatekeeper.policy.Policy p = dev.gatekeeper.policy.PolicyLoader.load(repo.resolve("gatekeeper/policy.yaml"));
        assertTrue(p.ruleFor("refs/heads/trunk").isPresent());
        assertTrue(p.ruleFor("refs/tags/v1.2.3").isPresent());
        assertTrue(p.ruleFor("refs/heads/feature/x").isEmpty(), "everything else stays open");
        assertTrue(p.ruleFor("refs/tags/nightly").isEmpty());
        assertEquals(HookManifest.PolicyCopy.DEFAULT, HookManifest.read(repo).orElseThrow().policy().source());

        // uninstall takes the unedited default policy with it
        new HookUninstaller().setRepositories(List.of(repo)).call();
        try (var left = Files.list(repo.resolve("gatekeeper"))) {
            assertEquals(List.of(repo.resolve("gatekeeper/repository-id")), left.toList(),
                    "nothing of ours is left but the repository's identity, which outlives the hooks");
        }
    }

    @Test
    void aServerWidePolicyOrNoPolicyOnRequestMeansNoDefaultIsWritten() throws Exception {
        Path one = Fixtures.bare(tmp.resolve("one.git"));
        Path etc = Files.createDirectories(tmp.resolve("etc-gatekeeper"));
        Files.writeString(etc.resolve("policy.yaml"), "version: 1\nprotected:\n  - ref: refs/heads/main\n");
        installer().setRepositories(List.of(one)).setEnvironment(java.util.Map.of("GATEKEEPER_CONFIG_DIR",
                etc.toString())).call();
        assertFalse(Files.exists(one.resolve("gatekeeper/policy.yaml")), "the server-wide policy applies");

        Path two = Fixtures.bare(tmp.resolve("two.git"));
        Path none = Files.createDirectories(tmp.resolve("etc-none"));
        HookInstaller.Result r = installer().setRepositories(List.of(two)).setNoPolicy(true)
                .setEnvironment(java.util.Map.of("GATEKEEPER_CONFIG_DIR", none.toString())).call().get(0);
        assertTrue(r.ok(), () -> r.problem().orElse(""));
        assertFalse(Files.exists(two.resolve("gatekeeper/policy.yaml")));
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("WARNING (--no-policy)")), r.notes().toString());
        assertThrows(GatekeeperException.class, () -> installer().setRepositories(List.of(two)).setNoPolicy(true)
                .setPolicy(etc.resolve("policy.yaml")).call());
    }

    @Test
    void aRuleThatAcceptsSignedPushesGetsANonceSeedThatUninstallRemoves() throws Exception {
        Path repo = Fixtures.bare(tmp.resolve("app.git"));
        Path policy = Files.writeString(tmp.resolve("signed.yaml"), "version: 1\nidentity:\n  signedPush:\n"
                + "    keys: [0123456789ABCDEF0123456789ABCDEF01234567]\nprotected:\n  - ref: refs/heads/main\n"
                + "    signedPush: true\n");

        installer().setRepositories(List.of(repo)).setPolicy(policy).call();

        String seed = Fixtures.config(repo, HookInstaller.NONCE_SEED);
        assertTrue(seed != null && seed.matches("[0-9a-f]{64}"), String.valueOf(seed));
        assertFalse(Fixtures.read(HookManifest.file(repo)).contains(seed), "the seed is a secret: not in the manifest");
        assertEquals(HookStatus.State.INSTALLED, HookStatus.check(repo).state());
        installer().setRepositories(List.of(repo)).setPolicy(policy).call();
        assertEquals(seed, Fixtures.config(repo, HookInstaller.NONCE_SEED), "a reinstall keeps the seed");
        new HookUninstaller().setRepositories(List.of(repo)).call();
        assertNull(Fixtures.config(repo, HookInstaller.NONCE_SEED));
    }

    @Test
    void anExplicitGitLabLayoutCreatesItsFoldersAndUninstallRemovesThemAgain() throws Exception {
        Path repo = Fixtures.bare(tmp.resolve("app.git"));
        Fixtures.git(repo, "config", "gitlab.fullpath", "group/app");

        HookInstaller.Result r = installer().setRepositories(List.of(repo)).setLayout(HookLayout.GITLAB).call().get(0);

        assertEquals(HookLayout.GITLAB, r.layout());
        assertTrue(Files.isExecutable(repo.resolve("custom_hooks/pre-receive.d/gatekeeper")));
        HookUninstaller.Result u = new HookUninstaller().setRepositories(List.of(repo)).call().get(0);
        assertEquals(HookUninstaller.Outcome.REMOVED, u.outcome(), () -> u.problem().orElse(""));
        assertFalse(Files.exists(repo.resolve("custom_hooks")));
        try (var left = Files.list(repo.resolve("gatekeeper"))) {
            assertEquals(List.of(repo.resolve("gatekeeper/repository-id")), left.toList(),
                    "nothing of ours is left but the repository's identity, which outlives the hooks");
        }
    }

    @Test
    void aForeignFileWhereTheDropInGoesIsNotReplaced() throws Exception {
        Path repo = Fixtures.bare(tmp.resolve("app.git"));
        Fixtures.script(repo.resolve("hooks/pre-receive"), GITEA_DISPATCHER);
        Path foreign = Fixtures.script(repo.resolve("hooks/pre-receive.d/gatekeeper"), "#!/bin/sh\necho mine\n");

        HookInstaller.Result r = installer().setRepositories(List.of(repo)).call().get(0);

        assertEquals(HookInstaller.Outcome.FAILED, r.outcome());
        assertTrue(r.problem().orElseThrow().contains("not written by gatekeeper"), r.problem().toString());
        assertEquals("#!/bin/sh\necho mine\n", Fixtures.read(foreign));
        assertFalse(Files.exists(HookManifest.file(repo)));
        assertNull(Fixtures.config(repo, "receive.advertisePushOptions"), "a refused repository is not touched");
        assertFalse(Files.exists(repo.resolve("gatekeeper")), "not even the lock's folder is left");
    }

    @Test
    void allFindsEveryBareRepositoryInNestedFoldersButNoCloneAndNothingInsideARepository() throws Exception {
        Path root = tmp.resolve("srv");
        Path one = Fixtures.bare(root.resolve("one.git"));
        Path two = Fixtures.bare(root.resolve("group/sub/two.git"));
        Path three = Fixtures.bare(root.resolve("group/three"));
        Fixtures.bare(one.resolve("refs/not-here.git")); // inside a repository: never a repository of its own
        Path clone = Fixtures.clone(root.resolve("work/clone"));

        List<HookInstaller.Result> results = installer().setAll(root).call();

        assertEquals(List.of(two, three, one), results.stream().map(HookInstaller.Result::gitDir).toList());
        assertTrue(results.stream().allMatch(HookInstaller.Result::ok));
        assertFalse(Files.exists(clone.resolve(".git/hooks/pre-receive")));
        assertFalse(Files.exists(clone.resolve(".git/gatekeeper")));
    }

    @Test
    void clientModeInstallsPreCommitAndPrePushIntoAWorkingClone() throws Exception {
        Path clone = Fixtures.clone(tmp.resolve("work"));

        HookInstaller.Result r = installer().setClient(true).setRepositories(List.of(clone)).call().get(0);

        assertEquals(HookInstaller.Outcome.INSTALLED, r.outcome(), () -> r.problem().orElse(""));
        Path preCommit = clone.resolve(".git/hooks/pre-commit");
        Path prePush = clone.resolve(".git/hooks/pre-push");
        assertEquals(List.of(preCommit, prePush), r.hooks());
        assertTrue(Files.isExecutable(preCommit) && Files.isExecutable(prePush));
        assertTrue(Fixtures.read(preCommit).contains("dev.gatekeeper.hooks.HookMain pre-commit\n"));
        assertTrue(Fixtures.read(prePush).contains("dev.gatekeeper.hooks.HookMain pre-push \"$@\"\n"));
        HookManifest m = HookManifest.read(clone.resolve(".git")).orElseThrow();
        assertEquals(HookManifest.CLIENT, m.mode());
        assertEquals(List.of("hooks/pre-commit", "hooks/pre-push"), m.files().stream()
                .map(HookManifest.InstalledFile::path).toList());
        assertTrue(m.config().isEmpty(), "receive.* is a server setting");
        assertNull(Fixtures.config(clone, "receive.advertisePushOptions"));
    }

    @Test
    void clientModeHonoursCoreHooksPathAndChainsAHookFoundThere() throws Exception {
        Path clone = Fixtures.clone(tmp.resolve("work"));
        Fixtures.git(clone, "config", "core.hooksPath", ".githooks");
        Path existing = Fixtures.script(clone.resolve(".githooks/pre-push"), "#!/bin/sh\necho lint\n");

        HookInstaller.Result r = installer().setClient(true).setRepositories(List.of(clone)).call().get(0);

        assertEquals(HookInstaller.Outcome.INSTALLED, r.outcome(), () -> r.problem().orElse(""));
        assertEquals(List.of(clone.resolve(".githooks/pre-commit"), existing), r.hooks());
        assertTrue(HookScript.isManaged(Files.readAllBytes(existing)));
        assertEquals("#!/bin/sh\necho lint\n", Fixtures.read(clone.resolve(".git/gatekeeper/chained/pre-push")));
        assertFalse(Files.exists(clone.resolve(".git/hooks/pre-commit")));
        HookManifest m = HookManifest.read(clone.resolve(".git")).orElseThrow();
        assertEquals(existing.toString(), m.chained().get(0).originalPath(), "outside the git directory: absolute");

        new HookUninstaller().setRepositories(List.of(clone)).call();
        assertEquals("#!/bin/sh\necho lint\n", Fixtures.read(existing));
        assertFalse(Files.exists(clone.resolve(".githooks/pre-commit")));
    }

    @Test
    void clientModeRefusesABareRepository() throws Exception {
        Path repo = Fixtures.bare(tmp.resolve("app.git"));

        HookInstaller.Result r = installer().setClient(true).setRepositories(List.of(repo)).call().get(0);

        assertEquals(HookInstaller.Outcome.FAILED, r.outcome());
        assertTrue(r.problem().orElseThrow().contains("working clone"));
    }

    @Test
    void aRepositoryHooksPathThatBypassesTheHookFailsTheInstall() throws Exception {
        Path repo = Fixtures.bare(tmp.resolve("app.git"));
        Fixtures.git(repo, "config", "core.hooksPath", "/somewhere/else");

        HookInstaller.Result r = installer().setRepositories(List.of(repo)).call().get(0);

        assertEquals(HookInstaller.Outcome.REFUSED, r.outcome());
        assertTrue(r.problem().orElseThrow().contains("core.hooksPath"), r.problem().toString());
        assertFalse(Files.exists(repo.resolve("hooks/pre-receive")));
    }

    @Test
    void aPolicyIsValidatedThenCopiedAtomicallyAndRecorded() throws Exception {
        Path repo = Fixtures.bare(tmp.resolve("app.git"));
        Path policy = tmp.resolve("policy.yaml");
        Files.writeString(policy, "version: 1\nprotected:\n  - ref: refs/heads/main\n");

        installer().setRepositories(List.of(repo)).setPolicy(policy).call();

        Path copy = repo.resolve("gatekeeper/policy.yaml");
        assertArrayEquals(Files.readAllBytes(policy), Files.readAllBytes(copy));
        HookManifest.PolicyCopy pc = HookManifest.read(repo).orElseThrow().policy();
        assertEquals("gatekeeper/policy.yaml", pc.path());
        assertEquals(InstallFiles.sha256(policy), pc.sha256());

        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "version: 1\nprotectd: []\n");
        GatekeeperException e = assertThrows(GatekeeperException.class,
                () -> installer().setRepositories(List.of(repo)).setPolicy(bad).call());
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertArrayEquals(Files.readAllBytes(policy), Files.readAllBytes(copy), "an invalid policy is never copied");
    }

    @Test
    void usageErrorsTouchNothing() throws Exception {
        Path notRepo = Files.createDirectories(tmp.resolve("plain-folder"));
        GatekeeperException e = assertThrows(GatekeeperException.class,
                () -> installer().setRepositories(List.of(notRepo)).call());
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("not a git repository"), e.getMessage());

        Path repo = Fixtures.bare(tmp.resolve("app.git"));
        HookRuntime noJava = new HookRuntime(tmp.resolve("no/java"), List.of(repo), List.of(), java.util.Optional.empty());
        e = assertThrows(GatekeeperException.class,
                () -> new HookInstaller().setSelfTest(false).setRuntime(noJava).setRepositories(List.of(repo)).call());
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertFalse(Files.exists(repo.resolve("hooks/pre-receive")));
        assertFalse(Files.exists(repo.resolve("gatekeeper")));
    }
}
