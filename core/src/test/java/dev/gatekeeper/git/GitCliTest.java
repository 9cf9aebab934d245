package dev.gatekeeper.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitCliTest {
    @TempDir
    Path dir;

    private static final Map<String, String> ISOLATED = Map.of("GIT_CONFIG_NOSYSTEM", "1", "GIT_CONFIG_GLOBAL",
            "/dev/null");

    @Test
    void runsGitInTheFolderWithTheOverlaidEnvironment() throws Exception {
        GitCli git = new GitCli(ISOLATED, Duration.ofSeconds(30));
        git.must(dir, "init", "-q");
        GitCli.Result r = git.run(dir, "rev-parse", "--is-inside-work-tree");
        assertTrue(r.ok());
        assertEquals("true", r.line());
        assertTrue(System.getenv().containsKey("PATH") && !ISOLATED.containsKey("PATH"),
                "PATH comes from this process: the overlay need not repeat it");
    }

    @Test
    void mustNamesTheCommandAndGitsMessage() throws Exception {
        GitCli git = new GitCli(ISOLATED, Duration.ofSeconds(30));
        IOException e = assertThrows(IOException.class, () -> git.must(dir, "rev-parse", "--verify", "HEAD"));
        assertTrue(e.getMessage().startsWith("git rev-parse --verify HEAD failed in " + dir + ": fatal:"),
                e.getMessage());
        GitCli.Result r = git.run(dir, "rev-parse", "--verify", "HEAD");
        assertFalse(r.ok());
        assertTrue(r.output().contains("fatal:"), r.output());
    }

    @Test
    void aGitThatOutlivesTheLimitIsKilledAndSaysSo() throws Exception {
        GitCli git = new GitCli(ISOLATED, Duration.ofMillis(300));
        long start = System.nanoTime();
        GitCli.Result r = git.run(dir, "-c", "alias.slow=!sleep 20", "slow");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(-1, r.exit());
        assertTrue(r.stderr().contains("timed out"), r.stderr());
        assertTrue(ms < 15_000, "killed, not waited for: " + ms + " ms");
    }

    @Test
    void largeOutputOnBothStreamsDoesNotBlock() throws Exception {
        GitCli git = new GitCli(ISOLATED, Duration.ofSeconds(30));
        // 200 KB on stdout and on stderr: more than a pipe holds, so both must be drained at once
        String script = "!head -c 200000 /dev/zero; head -c 200000 /dev/zero >&2";
        GitCli.Result r = git.run(dir, "-c", "alias.noisy=" + script, "noisy");
        assertTrue(r.ok(), r.stderr());
        assertEquals(200_000, r.stdout().length);
        assertEquals(200_000, r.stderr().length());
    }

    @Test
    void aPushOptionReachesGitThroughTheEnvironmentAfterTheOnesAlreadyThere() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(ISOLATED);
        env.putAll(Map.of("GIT_CONFIG_COUNT", "1", "GIT_CONFIG_KEY_0", "push.pushOption", "GIT_CONFIG_VALUE_0",
                "ci-skip"));
        GitCli git = new GitCli(env, Duration.ofSeconds(30));
        git.must(dir, "init", "-q");
        GitCli.Result r = git.runWithPushOption(dir, List.of("config", "--get-all", "push.pushOption"),
                "gatekeeper-token=gk1.x.y");
        assertEquals("ci-skip\ngatekeeper-token=gk1.x.y", r.line());
    }
}
