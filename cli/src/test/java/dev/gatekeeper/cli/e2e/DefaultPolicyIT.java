package dev.gatekeeper.cli.e2e;

import static dev.gatekeeper.cli.e2e.Pushes.assertContains;
import static dev.gatekeeper.cli.e2e.Pushes.assertRefusedByGate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hooks install} with no policy given and none found (no {@code $GIT_DIR/gatekeeper/policy.yaml}, nothing in
 * the server's config folder): a documented default protects the default branch and release tags and leaves the
 * rest open. On main before issue 13 every ref was protected and nobody could push anything, silently.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DefaultPolicyIT {
    @TempDir Path root;
    Git git;
    Dist dist;
    GitServer server;

    @BeforeEach
    void setUp() throws IOException {
        Map<String, String> env = new java.util.HashMap<>(Env.isolated(root));
        // no server-wide policy either: the config folder the gate would read is empty
        env.put("GATEKEEPER_CONFIG_DIR", Files.createDirectories(root.resolve("etc-gatekeeper")).toString());
        git = new Git(env);
        dist = new Dist(env);
        server = GitServer.create(git, root.resolve("srv"), "app");
    }

    @Test
    void withoutAPolicyTheDefaultProtectsMainAndReleaseTagsAndLeavesTheRestOpen() {
        Proc.Result install = dist.run(root, "hooks", "install", "--no-cds", server.gitDir().toString()).expectOk();

        Path work = git.cloneInto(server.fileUrl(), root.resolve("work"));
        String sha = git.commit(work, "f.txt", "feature\n", "feature");
        git.push(work, List.of(), server.fileUrl(), "HEAD:refs/heads/feature").expectOk();
        git.ok(work, "tag", "nightly-42");
        git.push(work, List.of(), server.fileUrl(), "refs/tags/nightly-42").expectOk();
        assertRefusedByGate(git.push(work, List.of(), server.fileUrl(), "HEAD:main"), "refs/heads/main",
                "refs/heads/main");
        git.ok(work, "tag", "v1.0.0");
        assertRefusedByGate(git.push(work, List.of(), server.fileUrl(), "refs/tags/v1.0.0"), "refs/tags/v1.0.0",
                "refs/tags/v*");
        assertEquals(sha, server.rev("refs/heads/feature"));
        assertNull(server.rev("refs/tags/v1.0.0"));
        assertContains(install, "installed the default policy (protects refs/heads/main and refs/tags/v*");
        assertContains(install, "self-test passed");
    }

    @Test
    void noPolicyOnlyWhenAskedForAndThenSaidLoudly() {
        Proc.Result install = dist.run(root, "hooks", "install", "--no-cds", "--no-policy",
                server.gitDir().toString()).expectOk();
        assertContains(install, "WARNING (--no-policy): no policy anywhere, so the gate refuses every push");
        assertContains(install, "self-test: CANNOT READ POLICY (as asked)");

        Path work = git.cloneInto(server.fileUrl(), root.resolve("work"));
        git.commit(work, "f.txt", "feature\n", "feature");
        assertRefusedByGate(git.push(work, List.of(), server.fileUrl(), "HEAD:refs/heads/feature"),
                "refs/heads/feature", "fail-closed");
        Proc.Result status = dist.run(root, "hooks", "status", server.gitDir().toString()).expectExit(3);
        assertContains(status, "CANNOT READ POLICY");
    }
}
