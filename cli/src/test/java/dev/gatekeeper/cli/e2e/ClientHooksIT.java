package dev.gatekeeper.cli.e2e;

import static dev.gatekeeper.cli.e2e.Pushes.assertContains;
import static dev.gatekeeper.cli.e2e.Pushes.assertNotContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hooks install --client} in a working clone: early feedback from pre-commit and pre-push. The server has
 * no gate here, so every refusal seen comes from the client hooks.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a backstop: every process also has its own timeout
class ClientHooksIT {

    @Test
    void commitOnMainAndPushToMainAreRefusedLocallyButAFeatureBranchWorks(@TempDir Path root) throws Exception {
        Map<String, String> env = Env.isolated(root);
        Git git = new Git(env);
        Dist dist = new Dist(env);
        GitServer server = GitServer.create(git, root.resolve("srv"), "app");
        Path clone = git.cloneInto(server.fileUrl(), root.resolve("agent-workspace"));
        Path policy = Policies.standard(root.resolve("policies"));

        Proc.Result install = dist.run(root, "hooks", "install", "--client", "--no-cds", "--policy",
                policy.toString(), clone.toString()).expectOk();
        assertContains(install, "installed: ");
        assertTrue(Files.isExecutable(clone.resolve(".git/hooks/pre-commit")), install.describe());
        assertTrue(Files.isExecutable(clone.resolve(".git/hooks/pre-push")), install.describe());

        String mainBefore = git.head(clone);
        Files.writeString(clone.resolve("on-main.txt"), "straight onto main\n", StandardCharsets.UTF_8);
        git.ok(clone, "add", "on-main.txt");
        Proc.Result commitOnMain = git.run(clone, "commit", "-q", "-m", "a commit on main");
        commitOnMain.expectFailure();
        assertContains(commitOnMain, "gatekeeper: commit refused on refs/heads/main");
        assertContains(commitOnMain, "protected");
        assertEquals(mainBefore, git.head(clone), "no commit may have been made on main");

        git.ok(clone, "switch", "-q", "-c", "feature/x");
        git.ok(clone, "commit", "-q", "-m", "the same change on a feature branch");
        String feature = git.head(clone);

        Proc.Result pushToMain = git.run(clone, "push", "origin", "HEAD:main");
        pushToMain.expectFailure();
        assertContains(pushToMain, "gatekeeper: push refused for refs/heads/main");
        assertContains(pushToMain, "failed to push some refs");
        assertNotContains(pushToMain, "remote:"); // refused before anything reached the server
        assertEquals(mainBefore, server.main(), "main on the server must not move");

        git.run(clone, "push", "origin", "HEAD:refs/heads/feature/x").expectOk();
        assertEquals(feature, server.rev("refs/heads/feature/x"));
    }
}
