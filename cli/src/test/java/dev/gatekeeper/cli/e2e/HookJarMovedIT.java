package dev.gatekeeper.cli.e2e;

import static dev.gatekeeper.cli.e2e.Pushes.assertContains;
import static dev.gatekeeper.cli.e2e.Pushes.assertNotContains;
import static dev.gatekeeper.cli.e2e.Pushes.assertRefusedByGate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upgrade of Gatekeeper itself under installed hooks, done in the order the README warned against: the new
 * version unpacked beside the old one, the link every admin types ({@code /opt/gatekeeper}, here {@code gatekeeper})
 * pointed at it, and the old version's folder deleted before {@code hooks install --all}. The hooks recorded the old
 * version's hook jar; on main before this test every push was refused ("... is missing; reinstall the hook"), for
 * every repository of the server. Now the hook finds the distribution's current jar, judges the push with it, warns
 * the pusher, records one event and sends one alert; only when no hook jar is anywhere does it refuse, loudly.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class HookJarMovedIT {
    @TempDir Path root;
    Map<String, String> env;
    Git git;
    Path versions;
    Dist a;
    Dist b;
    GitServer server;
    Path policy;

    @BeforeEach
    void setUp() throws IOException {
        env = new HashMap<>(Env.isolated(root));
        // the server's configuration folder: empty, so the machine's /etc/gatekeeper cannot decide anything here
        env.put("GATEKEEPER_CONFIG_DIR", Files.createDirectories(root.resolve("etc")).toString());
        git = new Git(env);
        versions = root.resolve("versions");
        Dist build = new Dist(env);
        a = build.copyAs(versions.resolve("A"));
        b = build.copyAs(versions.resolve("B"));
        server = GitServer.create(git, root.resolve("srv"), "app");
        policy = Policies.standard(root.resolve("policies"));
    }

    /** Points the link at {@code version} in one rename, as {@code ln -sfn} and deploy tools do. */
    private void pointLink(Path link, String version) throws IOException {
        Path next = link.resolveSibling(link.getFileName() + ".next");
        Files.deleteIfExists(next);
        Files.createSymbolicLink(next, Path.of("versions", version));
        Files.move(next, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void deleteFolder(Path dir) {
        Proc.run(root, env, null, Proc.DEFAULT_TIMEOUT, List.of("rm", "-rf", dir.toString())).expectOk();
    }

    private static Path hookJar(Path home) {
        return home.resolve("lib/hook/gatekeeper-hook.jar");
    }

    private List<JsonNode> movedEvents() {
        return server.events().stream().filter(e -> "hooks.runtime-moved".equals(e.path("type").asText())).toList();
    }

    @Test
    void theOldVersionDeletedBehindARepointedLinkStillJudgesPushesAlertsOnceAndHealRecordsTheNewJar()
            throws IOException {
        Path link = root.resolve("gatekeeper");
        pointLink(link, "A");
        Dist current = a.at(link);
        Proc.Result install = current.run(root, "hooks", "install", "--no-cds", "--policy", policy.toString(),
                server.gitDir().toString()).expectOk();
        assertContains(install, "self-test passed");
        Path oldJar = hookJar(versions.resolve("A"));
        assertTrue(Files.readString(server.gitDir().resolve("hooks/pre-receive")).contains(oldJar.toString()),
                "the hook records the jar of the version the link pointed at, resolved\n" + install.describe());

        try (AlertWebhook webhook = AlertWebhook.start()) {
            server.write("alert.url", webhook.url() + "\n");
            Path work = git.cloneInto(server.fileUrl(), root.resolve("work"));
            git.commit(work, "a.txt", "a\n", "a");

            // the upgrade, in the wrong order: B behind the link, A's folder gone, no 'hooks install --all' yet
            pointLink(link, "B");
            deleteFolder(versions.resolve("A"));

            Proc.Result main = git.push(work, List.of(), server.fileUrl(), "HEAD:main");
            assertRefusedByGate(main, "refs/heads/main", "refs/heads/main");
            assertContains(main, "remote: gatekeeper: warning: the hook jar recorded at install (" + oldJar
                    + ") is gone; judged with " + hookJar(link) + " instead");
            assertNotContains(main, "is missing");
            git.push(work, List.of(), server.fileUrl(), "HEAD:refs/heads/feature").expectOk();
            git.push(work, List.of(), server.fileUrl(), "HEAD:refs/heads/feature2").expectOk();
            assertNotNull(server.rev("refs/heads/feature2"), "the unprotected pushes landed");

            List<JsonNode> moved = movedEvents();
            assertEquals(1, moved.size(), "one event for the move, not one per push: " + moved);
            assertEquals(oldJar.toString(), moved.get(0).path("details").path("recordedJar").asText(),
                    moved.get(0).toString());
            assertEquals(hookJar(link).toString(), moved.get(0).path("details").path("usedJar").asText(),
                    moved.get(0).toString());
            List<AlertWebhook.Received> alerts = webhook.received().stream()
                    .filter(x -> x.body().contains("hook jar moved")).toList();
            assertEquals(1, alerts.size(), "one alert: " + webhook.received());
            assertTrue(alerts.get(0).body().contains(moved.get(0).path("id").asText()), alerts.get(0).body());
        }

        Proc.Result movedStatus = current.run(root, "hooks", "status", server.gitDir().toString()).expectExit(3);
        assertTrue(movedStatus.stdout().startsWith("RUNTIME MOVED  " + server.gitDir()), movedStatus.describe());
        assertContains(movedStatus, oldJar.toString());

        // the hourly drift scan heals it: reinstalled with the scanning distribution's jar, proven by the self-test
        Proc.Result heal = current.run(root, "drift", "scan", "--bare", server.gitDir().toString(), "--state",
                root.resolve("drift/state.json").toString(), "--heal");
        assertTrue(heal.exitCode() == 0 || heal.exitCode() == 3, heal.describe());
        assertContains(heal, "reinstalled");
        current.run(root, "hooks", "status", server.gitDir().toString()).expectExit(0);
        String hook = Files.readString(server.gitDir().resolve("hooks/pre-receive"));
        assertTrue(hook.contains(hookJar(versions.resolve("B")).toString()), hook);
        Path work = git.cloneInto(server.fileUrl(), root.resolve("work2"));
        git.commit(work, "b.txt", "b\n", "b");
        Proc.Result after = git.push(work, List.of(), server.fileUrl(), "HEAD:refs/heads/feature3");
        after.expectOk();
        assertNotContains(after, "warning");
        assertRefusedByGate(git.push(work, List.of(), server.fileUrl(), "HEAD:main"), "refs/heads/main",
                "refs/heads/main");
    }

    @Test
    void withNoHookJarAnywhereEveryPushIsRefusedLoudlyUntilTheServerNamesOne() throws IOException {
        // installed from the old version's own folder: no link recorded, nothing to fall back to but configuration
        a.install(policy, server.gitDir(), false);
        Path oldJar = hookJar(versions.resolve("A"));
        Path work = git.cloneInto(server.fileUrl(), root.resolve("work"));
        git.commit(work, "a.txt", "a\n", "a");
        deleteFolder(versions.resolve("A"));

        Proc.Result refused = git.push(work, List.of(), server.fileUrl(), "HEAD:refs/heads/feature");
        refused.expectFailure();
        assertContains(refused, "remote: gatekeeper: pre-receive refused (fail closed): hook jar " + oldJar
                + " is missing, and no other Gatekeeper hook jar was found");
        assertContains(refused, "pre-receive hook declined");
        assertNull(server.rev("refs/heads/feature"), "nothing lands without a gate");
        Proc.Result missing = b.run(root, "hooks", "status", server.gitDir().toString()).expectExit(3);
        assertTrue(missing.stdout().startsWith("RUNTIME MISSING  " + server.gitDir()), missing.describe());

        // a file that is no hook jar is passed over: still refused
        Path decoy = Files.writeString(root.resolve("decoy.jar"), "not a jar\n");
        Proc.Result withDecoy = git.runWithEnv(work, Map.of("GATEKEEPER_HOOK_JAR", decoy.toString()), "push",
                server.fileUrl(), "HEAD:refs/heads/feature");
        withDecoy.expectFailure();
        assertContains(withDecoy, "no other Gatekeeper hook jar was found");
        assertNull(server.rev("refs/heads/feature"));

        // the server names the distribution's jar (as /etc/gatekeeper/java names a java): judged again
        Files.writeString(root.resolve("etc/hook-jar"), hookJar(b.dir()) + "\n");
        Proc.Result feature = git.push(work, List.of(), server.fileUrl(), "HEAD:refs/heads/feature");
        feature.expectOk();
        assertContains(feature, "remote: gatekeeper: warning: the hook jar recorded at install (" + oldJar
                + ") is gone; judged with " + hookJar(b.dir()) + " instead");
        assertRefusedByGate(git.push(work, List.of(), server.fileUrl(), "HEAD:main"), "refs/heads/main",
                "refs/heads/main");
        assertEquals(1, movedEvents().size(), movedEvents().toString());
        Proc.Result movedStatus = b.run(root, "hooks", "status", server.gitDir().toString()).expectExit(3);
        assertTrue(movedStatus.stdout().startsWith("RUNTIME MOVED  " + server.gitDir()), movedStatus.describe());

        Proc.Result all = b.installAll(server.gitDir().getParent());
        assertContains(all, "updated: " + server.gitDir());
        b.run(root, "hooks", "status", server.gitDir().toString()).expectExit(0);
    }
}
