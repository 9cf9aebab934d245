package dev.gatekeeper.cli.e2e;

import static dev.gatekeeper.cli.e2e.Pushes.assertAcceptedByGate;
import static dev.gatekeeper.cli.e2e.Pushes.assertContains;
import static dev.gatekeeper.cli.e2e.Pushes.assertRefusedByGate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server whose repositories belong to the git account ({@link Users#GIT}), served by a git daemon running as that
 * account (so hooks run as it, as on a real server), and an admin who installs as root, following the README.
 * On main before issue 13 the install said nothing and left {@code gatekeeper/} root's: every push, even to a
 * feature branch, was refused ("the decision could not be audited").
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RightUserInstallIT {
    @TempDir Path root;
    Users.Account git;
    Map<String, String> env;
    Git client;
    Dist dist;
    GitServer server;
    GitDaemon daemon;
    String url;

    @BeforeEach
    void setUp() {
        git = Users.require(Users.GIT);
        Users.openUp(root);
        env = Env.isolated(root);
        client = new Git(env);
        dist = new Dist(env).copyTo(root);
        server = GitServer.create(client, root.resolve("srv"), "app");
        git.chownR(server.gitDir().getParent());
        Map<String, String> daemonEnv = new HashMap<>(env);
        daemonEnv.put("HOME", git.home().toString());
        daemon = GitDaemon.start(daemonEnv, server.gitDir().getParent(), git.runAs());
        url = daemon.url("app.git");
    }

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    private Proc.Result status() {
        return dist.run(root, "hooks", "status", server.gitDir().toString());
    }

    private static List<Path> notOwnedBy(Users.Account a, Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> {
                try {
                    return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS) != a.uid();
                } catch (IOException e) {
                    return true;
                }
            }).toList();
        }
    }

    @Test
    void rootInstallingOnTheGitUsersRepositoryLeavesItWorkingAndEveryFileTheirs() throws IOException {
        Proc.Result install = dist.install(Policies.standard(root.resolve("policies")), server.gitDir(), false);

        // pushes are judged: an unprotected branch lands, main is refused by its rule
        Path work = client.cloneInto(url, root.resolve("work"));
        client.commit(work, "f.txt", "feature\n", "feature");
        Proc.Result feature = client.push(work, List.of(), url, "HEAD:refs/heads/feature");
        feature.expectOk();
        assertRefusedByGate(client.push(work, List.of(), url, "HEAD:main"), "refs/heads/main", "refs/heads/main");

        assertEquals(List.of(), notOwnedBy(git, server.gitDir()), "every file of the repository stays " + Users.GIT
                + "'s\n" + install.describe());
        assertContains(install, "self-test passed");
        assertContains(install, "the gate ran as " + Users.GIT);
        assertContains(install, "written as " + Users.GIT);
        assertEquals(0, status().exitCode(), status().describe());
    }

    @Test
    void theOldReadmeRecipeForSecretsIsCaughtAndNewSecretInstallFixesIt() throws IOException {
        dist.install(Policies.standard(root.resolve("policies")), server.gitDir(), false);
        // the README before issue 13, run as root: token new-secret > …/pipeline.secret; chmod 600 …
        Path secret = server.gatekeeperDir().resolve("pipeline.secret");
        Files.writeString(secret, dist.newSecret(root) + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));

        Proc.Result broken = status().expectExit(3);
        assertTrue(broken.stdout().startsWith("CANNOT READ SECRET  " + server.gitDir()), broken.describe());
        assertContains(broken, "pipeline token minted from the secret the gate reads was refused");

        Proc.Result fixed = dist.run(root, "token", "new-secret", "--install", server.gitDir().toString(),
                "--rotate").expectOk();
        assertContains(fixed, "owned by " + Users.GIT);
        assertContains(fixed, "self-test passed");
        assertEquals(git.uid(), (Integer) Files.getAttribute(secret, "unix:uid"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
        status().expectExit(0);

        // and the pipeline's token, minted from the secret it printed, gets through to main
        Path secretCopy = Files.writeString(root.resolve("ci.secret"), fixed.stdout().strip() + "\n");
        Path work = client.cloneInto(url, root.resolve("work"));
        String sha = client.commit(work, "ci.txt", "ci\n", "pipeline change");
        String token = dist.mint(work, "app", "refs/heads/main", sha, secretCopy);
        assertAcceptedByGate(client.push(work, List.of("gatekeeper-token=" + token), url, "HEAD:main"),
                "refs/heads/main", "token:");
        assertEquals(sha, server.main());
    }

    @Test
    void everyBrokenStateIsNamedAndExits3() throws IOException {
        dist.install(Policies.standard(root.resolve("policies")), server.gitDir(), false);
        status().expectExit(0);
        Path gk = server.gatekeeperDir();
        Path events = gk.resolve("events.jsonl");

        // the audit log belongs to root (someone ran the hook by hand as root)
        Files.setAttribute(events, "unix:uid", 0);
        assertState("CANNOT AUDIT", "the gate wrote no event");
        git.chownR(events);

        // the policy is readable by root only
        Path policy = gk.resolve("policy.yaml");
        Files.setPosixFilePermissions(policy, PosixFilePermissions.fromString("rw-------"));
        Files.setAttribute(policy, "unix:uid", 0);
        assertState("CANNOT READ POLICY", "the gate has no usable policy");
        git.chownR(policy);

        // the break-glass secret as root's
        Path bg = gk.resolve("break-glass.secret");
        Files.writeString(bg, dist.newSecret(root) + "\n");
        Files.setPosixFilePermissions(bg, PosixFilePermissions.fromString("rw-------"));
        assertState("CANNOT READ SECRET", "break-glass secret");
        git.chownR(bg);

        // the distribution unpacked where the git account cannot read it
        Path jar = dist.dir().resolve("lib/hook/gatekeeper-hook.jar");
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-------"));
        assertState("RUNTIME MISSING", "gatekeeper-hook.jar is missing");
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));

        // the hook lost its executable bit
        Path hook = server.gitDir().resolve("hooks/pre-receive");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rw-r--r--"));
        assertState("NOT RUN BY GIT", "git skips it silently");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));

        status().expectExit(0);
    }

    private void assertState(String state, String reason) {
        Proc.Result r = status().expectExit(3);
        assertTrue(r.stdout().startsWith(state + "  " + server.gitDir()), "expected " + state + "\n" + r.describe());
        assertContains(r, reason);
    }

    @Test
    void anotherUserIsToldTheExactCommandToRunAsTheOwner() throws IOException {
        Users.Account scanner = Users.require(Users.SCANNER);
        Proc.Result r = dist.runningAs(scanner.runAs()).run(root, "hooks", "install", "--no-cds",
                server.gitDir().toString());
        r.expectExit(2);
        assertContains(r, "belongs to " + Users.GIT);
        assertContains(r, "Run instead: sudo -u " + Users.GIT + " " + dist.dir().resolve("bin/gatekeeper")
                + " hooks install --no-cds " + server.gitDir());
        assertTrue(!Files.exists(server.gitDir().resolve("hooks/pre-receive")), "nothing was installed");
    }
}
