package dev.gatekeeper.cli.e2e;

import static dev.gatekeeper.cli.e2e.Pushes.assertContains;
import static dev.gatekeeper.cli.e2e.Pushes.assertRefusedByGate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hook layouts as the servers run them, over {@code git daemon}: Gitea's (and Forgejo's) generated dispatcher, a
 * stand-in for GitLab's Gitaly (its hooks path, its custom-hook order and environment, its {@code hooks set}
 * archive), and a server-wide {@code core.hooksPath}. On main before issue 13, {@code --layout GITEA} without the
 * dispatcher and a global {@code core.hooksPath} both left the gate off while {@code hooks status} said INSTALLED.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LayoutIT {
    /**
     * What Gitea and Forgejo generate as hooks/pre-receive (modelled on their template, not copied): read the input
     * once, hand every executable file in hooks/pre-receive.d/ the same input through echo, fail if any failed.
     */
    static final String GITEA_DISPATCHER = String.join("\n",
            "#!/usr/bin/env bash",
            "# stand-in for Gitea's generated dispatcher",
            "data=$(cat)",
            "exitcodes=\"\"",
            "hookname=$(basename $0)",
            "GIT_DIR=${GIT_DIR:-$(dirname $0)/..}",
            "for hook in ${GIT_DIR}/hooks/${hookname}.d/*; do",
            "  test -x \"${hook}\" && test -f \"${hook}\" || continue",
            "  echo \"${data}\" | \"${hook}\"",
            "  exitcodes=\"${exitcodes} $?\"",
            "done",
            "for i in ${exitcodes}; do",
            "  [ ${i} -eq 0 ] || exit ${i}",
            "done",
            "");

    /**
     * A stand-in for gitaly-hooks: Gitaly runs git with core.hooksPath at its own hooks, and its pre-receive runs
     * the repository's custom hooks (custom_hooks/pre-receive, then custom_hooks/pre-receive.d/* in name order,
     * executable files not ending in ~), each with the whole input, from the repository, with GIT_DIR its absolute
     * path and GL_* describing the push, stopping at the first that fails.
     */
    static final String GITALY_HOOKS = String.join("\n",
            "#!/bin/sh",
            "repo=$(cd \"${GIT_DIR:-.}\" && pwd)",
            "input=$(mktemp) || exit 1",
            "trap 'rm -f \"$input\"' EXIT",
            "cat >\"$input\"",
            "GL_PROJECT_PATH=$(git --git-dir=\"$repo\" config --get gitlab.fullpath)",
            "export GIT_DIR=\"$repo\" GL_PROTOCOL=ssh GL_ID=user-7 GL_USERNAME=alice GL_REPOSITORY=project-7 GL_PROJECT_PATH",
            "for h in \"$repo/custom_hooks/pre-receive\" \"$repo\"/custom_hooks/pre-receive.d/*; do",
            "  case $h in *~) continue ;; esac",
            "  [ -f \"$h\" ] && [ -x \"$h\" ] || continue",
            "  (cd \"$repo\" && \"$h\" \"$@\" <\"$input\") || exit $?",
            "done",
            "exit 0",
            "");

    @TempDir Path root;
    Map<String, String> env;
    Git git;
    Dist dist;
    Path policy;

    @BeforeEach
    void setUp() {
        env = Env.isolated(root);
        git = new Git(env);
        dist = new Dist(env);
        policy = Policies.standard(root.resolve("policies"));
    }

    private static Path script(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private Proc.Result install(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("hooks", "install", "--no-cds", "--policy",
                policy.toString()));
        all.addAll(List.of(args));
        return dist.run(root, all.toArray(String[]::new));
    }

    @Test
    void giteasDispatcherRunsTheGateBesideGiteasOwnHook() throws IOException {
        GitServer server = GitServer.create(git, root.resolve("gitea"), "app");
        Path seen = root.resolve("gitea-hook-saw.txt");
        script(server.gitDir().resolve("hooks/pre-receive"), GITEA_DISPATCHER);
        script(server.gitDir().resolve("hooks/pre-receive.d/gitea"), "#!/bin/sh\n# stand-in for 'gitea hook"
                + " pre-receive'\ncat >> '" + seen + "'\nexit 0\n");

        Proc.Result install = install(server.gitDir().toString()).expectOk();
        assertContains(install, "installed: " + server.gitDir() + " (GITEA)");
        assertContains(install, "self-test passed");

        try (GitDaemon daemon = GitDaemon.start(env, server.gitDir().getParent())) {
            String url = daemon.url("app.git");
            Path work = git.cloneInto(url, root.resolve("work"));
            String sha = git.commit(work, "f.txt", "f\n", "feature");
            git.push(work, List.of(), url, "HEAD:refs/heads/feature").expectOk();
            assertTrue(Files.readString(seen).contains(sha + " refs/heads/feature"), "Gitea's own hook still runs");
            assertRefusedByGate(git.push(work, List.of(), url, "HEAD:main"), "refs/heads/main", "refs/heads/main");
        }
        dist.run(root, "hooks", "status", server.gitDir().toString()).expectExit(0);
    }

    @Test
    void aGiteaLayoutWithoutTheDispatcherIsRefusedAndWhenForcedStatusSaysNotRunByGit() {
        GitServer server = GitServer.create(git, root.resolve("plain"), "app");

        Proc.Result refused = install("--layout", "GITEA", server.gitDir().toString()).expectExit(2);
        assertContains(refused, "REFUSED: " + server.gitDir());
        assertContains(refused, "would never run");
        assertFalse(Files.exists(server.gitDir().resolve("hooks/pre-receive.d")), "nothing was written");

        Proc.Result forced = install("--layout", "GITEA", "--force", server.gitDir().toString()).expectOk();
        assertContains(forced, "WARNING (--force)");
        assertContains(forced, "self-test: NOT RUN BY GIT (as asked)");
        Proc.Result status = dist.run(root, "hooks", "status", server.gitDir().toString()).expectExit(3);
        assertTrue(status.stdout().startsWith("NOT RUN BY GIT  " + server.gitDir()), status.describe());
        // and it is true: git does not run it, a direct push to main goes through
        Path work = git.cloneInto(server.fileUrl(), root.resolve("work"));
        String sha = git.commit(work, "f.txt", "f\n", "direct");
        git.push(work, List.of(), server.fileUrl(), "HEAD:main").expectOk();
        assertEquals(sha, server.main());
    }

    @Test
    void aServerWideHooksPathIsRefusedAndStatusSaysGitRunsSomethingElse() throws IOException {
        GitServer installed = GitServer.create(git, root.resolve("srv"), "old");
        install(installed.gitDir().toString()).expectOk();
        GitServer fresh = GitServer.create(git, root.resolve("srv"), "new");
        // the git account's global config (this test's HOME stands for it) sends every repository elsewhere
        Path shared = Files.createDirectories(root.resolve("shared-hooks"));
        Files.writeString(root.resolve("home/.gitconfig"), "[core]\n\thooksPath = " + shared + "\n");

        Proc.Result refused = install(fresh.gitDir().toString()).expectExit(2);
        assertContains(refused, "core.hooksPath = " + shared + " (set in file:" + root.resolve("home/.gitconfig"));
        assertContains(refused, "git config --global --unset core.hooksPath");
        assertFalse(Files.exists(fresh.gitDir().resolve("hooks/pre-receive")));

        Proc.Result status = dist.run(root, "hooks", "status", installed.gitDir().toString()).expectExit(3);
        assertTrue(status.stdout().startsWith("NOT RUN BY GIT  " + installed.gitDir()), status.describe());
        assertContains(status, "git runs " + shared.resolve("pre-receive"));
    }

    @Test
    void gitLabsGitalyRunsTheCustomHookInstalledDirectlyOrThroughHooksSet() throws IOException {
        Path gitalyHooks = script(root.resolve("gitaly/hooks/pre-receive"), GITALY_HOOKS);
        GitServer direct = GitServer.create(git, root.resolve("repositories"), "direct");
        git.ok(direct.gitDir(), "config", "gitlab.fullpath", "group/direct");
        GitServer viaTar = GitServer.create(git, root.resolve("repositories"), "tarball");
        git.ok(viaTar.gitDir(), "config", "gitlab.fullpath", "group/tarball");
        GitServer notGitLab = GitServer.create(git, root.resolve("elsewhere"), "plain");

        Proc.Result installed = install(direct.gitDir().toString()).expectOk();
        assertContains(installed, "installed: " + direct.gitDir() + " (GITLAB)");
        assertContains(installed, "self-test passed");

        // GitLab 15.11+: the archive for 'gitaly hooks set', applied as Gitaly applies it (replaces custom_hooks/)
        Path tar = root.resolve("gatekeeper-hooks.tar");
        Proc.Result made = dist.run(root, "hooks", "install", "--no-cds", "--policy", policy.toString(),
                "--gitaly-tarball", tar.toString()).expectOk();
        assertContains(made, "gitaly hooks set");
        Proc.run(viaTar.gitDir(), env, null, Proc.DEFAULT_TIMEOUT, List.of("tar", "-xf", tar.toString())).expectOk();
        assertTrue(Files.isExecutable(viaTar.gitDir().resolve("custom_hooks/pre-receive.d/gatekeeper")));
        Proc.Result proven = dist.run(root, "hooks", "status", viaTar.gitDir().toString()).expectExit(0);
        assertContains(proven, "self-test passed");

        Proc.Result notThere = install("--layout", "GITLAB", notGitLab.gitDir().toString()).expectExit(2);
        assertContains(notThere, "gitlab.fullpath");

        Map<String, String> gitaly = new HashMap<>(env);
        gitaly.put("GIT_CONFIG_COUNT", "1");
        gitaly.put("GIT_CONFIG_KEY_0", "core.hooksPath");
        gitaly.put("GIT_CONFIG_VALUE_0", gitalyHooks.getParent().toString());
        try (GitDaemon daemon = GitDaemon.start(gitaly, direct.gitDir().getParent())) {
            for (String name : List.of("direct", "tarball")) {
                String url = daemon.url(name + ".git");
                Path work = git.cloneInto(url, root.resolve("work-" + name));
                git.commit(work, "f.txt", "f\n", "feature");
                git.push(work, List.of(), url, "HEAD:refs/heads/feature").expectOk();
                assertRefusedByGate(git.push(work, List.of(), url, "HEAD:main"), "refs/heads/main",
                        "refs/heads/main");
            }
        }
    }
}
