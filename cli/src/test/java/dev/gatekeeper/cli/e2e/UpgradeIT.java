package dev.gatekeeper.cli.e2e;

import static dev.gatekeeper.cli.e2e.Pushes.assertContains;
import static dev.gatekeeper.cli.e2e.Pushes.assertNotContains;
import static dev.gatekeeper.cli.e2e.Pushes.assertRefusedByGate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JDK upgrade under installed hooks. The hook was installed with a java whose folder an upgrade then removes:
 * pushes must still be judged, on another java,
 * with an event and one alert; {@code hooks install --all} then upgrades every repository in place, and again is a
 * no-op. On main before issue 13 every push was refused ("java runtime … is missing").
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class UpgradeIT {
    @TempDir Path root;
    Map<String, String> env;
    Git git;
    Dist dist;
    GitServer server;

    @BeforeEach
    void setUp() {
        env = Env.isolated(root);
        git = new Git(env);
        dist = new Dist(env).copyTo(root);
        server = GitServer.create(git, root.resolve("srv"), "app");
    }

    /**
     * A JDK folder of its own that the test can remove, as an upgrade removes the old JDK: hard links to this JVM's
     * files where the file system allows (instant), else a copy. Its java.home is this folder, so an install run on it
     * records it, on main before issue 13 as now.
     */
    private Path jdkThatAnUpgradeRemoves() {
        Path jdk = root.resolve("jdk-17.0.1");
        String home = System.getProperty("java.home");
        if (Proc.run(root, env, null, Proc.DEFAULT_TIMEOUT, List.of("cp", "-al", home, jdk.toString())).exitCode()
                != 0) {
            Proc.run(root, env, null, Proc.DEFAULT_TIMEOUT, List.of("rm", "-rf", jdk.toString()));
            Proc.run(root, env, null, Proc.DEFAULT_TIMEOUT, List.of("cp", "-a", home, jdk.toString())).expectOk();
        }
        return jdk;
    }

    @Test
    void aVanishedJdkStillJudgesPushesAlertsOnceAndInstallAllUpgradesInPlace() throws IOException {
        Path jdk = jdkThatAnUpgradeRemoves();
        Path oldJava = jdk.resolve("bin/java");
        Proc.Result install = dist.run(root, Map.of("GATEKEEPER_JAVA", oldJava.toString()), null,
                Proc.DEFAULT_TIMEOUT, "hooks", "install", "--no-cds", "--policy",
                Policies.standard(root.resolve("policies")).toString(), server.gitDir().toString()).expectOk();
        assertTrue(Files.readString(server.gitDir().resolve("hooks/pre-receive")).contains("JAVA=" + oldJava),
                "the hook runs the java the install ran on\n" + install.describe());

        try (AlertWebhook webhook = AlertWebhook.start()) {
            server.write("alert.url", webhook.url() + "\n");
            Path work = git.cloneInto(server.fileUrl(), root.resolve("work"));
            git.commit(work, "a.txt", "a\n", "a");

            // the upgrade removes the JDK the hook was installed with
            Proc.run(root, env, null, Proc.DEFAULT_TIMEOUT, List.of("rm", "-rf", jdk.toString())).expectOk();

            Proc.Result main = git.push(work, List.of(), server.fileUrl(), "HEAD:main");
            assertRefusedByGate(main, "refs/heads/main", "refs/heads/main");
            assertContains(main, "remote: gatekeeper: warning: the java recorded at install (" + oldJava
                    + ") is gone");
            assertNotContains(main, "is missing or not executable");
            git.push(work, List.of(), server.fileUrl(), "HEAD:refs/heads/feature").expectOk();
            git.push(work, List.of(), server.fileUrl(), "HEAD:refs/heads/feature2").expectOk();

            List<JsonNode> moved = server.events().stream()
                    .filter(e -> "hooks.runtime-moved".equals(e.path("type").asText())).toList();
            assertEquals(1, moved.size(), "one event for the move, not one per push: " + moved);
            assertEquals(oldJava.toString(), moved.get(0).path("details").path("recorded").asText(),
                    moved.get(0).toString());
            List<AlertWebhook.Received> alerts = webhook.received().stream()
                    .filter(a -> a.body().contains("java runtime moved")).toList();
            assertEquals(1, alerts.size(), "one alert: " + webhook.received());
            assertTrue(alerts.get(0).body().contains(moved.get(0).path("id").asText()), alerts.get(0).body());
        }

        Proc.Result movedStatus = dist.run(root, "hooks", "status", server.gitDir().toString()).expectExit(3);
        assertTrue(movedStatus.stdout().startsWith("RUNTIME MOVED  " + server.gitDir()), movedStatus.describe());
        assertContains(install, "self-test passed");

        // the upgrade: every repository below srv/, in place, with the java this distribution runs on
        Proc.Result all = dist.run(root, "hooks", "install", "--all", server.gitDir().getParent().toString())
                .expectOk();
        assertContains(all, "updated: " + server.gitDir());
        assertContains(all, "self-test passed");
        dist.run(root, "hooks", "status", server.gitDir().toString()).expectExit(0);
        Proc.Result again = dist.run(root, "hooks", "install", "--all", server.gitDir().getParent().toString())
                .expectOk();
        assertContains(again, "unchanged: " + server.gitDir());

        // a class-data-sharing archive that no longer fits its JVM (a JDK patch release) is ignored, never fatal
        List<Path> archives = new ArrayList<>();
        try (DirectoryStream<Path> jsa = Files.newDirectoryStream(dist.dir().resolve("lib/hook"), "*.jsa")) {
            jsa.forEach(archives::add);
        }
        assertEquals(1, archives.size(), "the reinstall made an archive: " + archives);
        Files.write(archives.get(0), "not an archive of this JVM".getBytes());
        Path work = git.cloneInto(server.fileUrl(), root.resolve("work2"));
        git.commit(work, "b.txt", "b\n", "b");
        Proc.Result afterStale = git.push(work, List.of(), server.fileUrl(), "HEAD:refs/heads/feature3");
        afterStale.expectOk();
        assertNotContains(afterStale, "sharing");
        assertRefusedByGate(git.push(work, List.of(), server.fileUrl(), "HEAD:main"), "refs/heads/main",
                "refs/heads/main");
    }
}
