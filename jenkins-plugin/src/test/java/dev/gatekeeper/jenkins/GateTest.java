package dev.gatekeeper.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.install.HookInstaller;
import dev.gatekeeper.install.HookRuntime;
import dev.gatekeeper.jenkins.stubs.StubCredentials;
import dev.gatekeeper.verify.Git;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path with the real push gate: Gatekeeper's hooks installed on the bare server (running this JVM's
 * class path), main protected, pipeline tokens checked against the server's secret. A plain push is refused; the
 * same push inside {@code withGatekeeperToken} is accepted.
 */
class GateTest {
    private static final String SECRET = "pipeline-secret-0123456789abcdef";
    private static final String POLICY = String.join("\n", "version: 1", "repository: app", "protected:",
            "  - ref: refs/heads/main", "    howToLand: \"Let the pipeline push it.\"", "");

    @TempDir
    Path tmp;

    @AfterEach
    void forget() {
        StubCredentials.clear();
    }

    @Test
    void aPushInsideTheBlockPassesTheGateThatRefusesItWithout() throws Exception {
        Repos repos = new Repos(tmp);
        Path policy = Files.writeString(tmp.resolve("policy.yaml"), POLICY, StandardCharsets.UTF_8);
        for (HookInstaller.Result r : new HookInstaller().setRepositories(List.of(repos.server)).setPolicy(policy)
                .setRuntime(HookRuntime.current(testClassPath())).call()) {
            assertTrue(r.ok(), r.problem().orElse(""));
        }
        Files.writeString(repos.server.resolve("gatekeeper/pipeline.secret"), SECRET + "\n");
        String before = repos.serverTip();
        String head = repos.git.commit(repos.workspace, "pipeline change");

        Git.Run plain = repos.git.run(repos.workspace, java.util.Map.of(),
                List.of("git", "push", "origin", "HEAD:main"));
        assertNotEquals(0, plain.exit(), "the gate refuses a push without a token");
        assertTrue(plain.stderr().contains("Let the pipeline push it."), plain.stderr());
        assertEquals(before, repos.serverTip());

        StubCredentials.put("gatekeeper-pipeline-secret", SECRET);
        FakeStepContext ctx = repos.context();
        ctx.body = env -> repos.git.run(repos.workspace, env, List.of("git", "push", "origin", "HEAD:main"));
        Git.Run pushed = (Git.Run) ctx.run(new WithGatekeeperTokenStep("gatekeeper-pipeline-secret", "app"));

        assertEquals(0, pushed.exit(), pushed.stderr());
        assertEquals(head, repos.serverTip());
        String audit = Files.readString(repos.server.resolve("gatekeeper/ledger.jsonl"));
        assertTrue(audit.contains("\"proof\":\"token:"), audit);

        // Without repo: the id comes from the workspace's origin URL (file:///…/app.git: the repository's absolute
        // path, which the gate accepts as a second name of the repository recorded as 'app').
        String next = repos.git.commit(repos.workspace, "pipeline change without repo:");
        FakeStepContext derived = repos.context();
        derived.body = env -> repos.git.run(repos.workspace, env, List.of("git", "push", "origin", "HEAD:main"));
        Git.Run pushedAgain = (Git.Run) derived.run(new WithGatekeeperTokenStep("gatekeeper-pipeline-secret"));
        assertEquals(0, pushedAgain.exit(), pushedAgain.stderr());
        assertEquals(next, repos.serverTip());
        String expected = repos.server.toAbsolutePath().normalize().toString().substring(1).replaceAll("\\.git$", "");
        assertTrue(derived.log().contains("pipeline token for " + expected + " refs/heads/main"), derived.log());
    }

    /** The class path surefire gave this JVM (the manifest-only booter jar hides it from java.class.path). */
    private static List<Path> testClassPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<Path> out = new ArrayList<>();
        for (String e : cp.split(File.pathSeparator)) {
            if (!e.isBlank()) {
                out.add(Path.of(e).toAbsolutePath());
            }
        }
        return out;
    }
}
