package dev.gatekeeper.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The launcher and the command line's contract: help with exit codes, usage errors, the shipped example policy. */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a backstop: every process also has its own timeout
class CliBasicsIT {
    @TempDir Path root;
    Dist dist;

    @BeforeEach
    void setUp() {
        Map<String, String> env = Env.isolated(root);
        dist = new Dist(env);
    }

    @Test
    void helpListsEveryExitCode() {
        Proc.Result r = dist.run(root, "--help").expectOk();
        assertTrue(r.stdout().contains("Exit codes"), r.describe());
        String[] meanings = {"ok", "internal error", "usage or configuration error", "the check said no",
            "inconclusive", "acted and recovered", "acted and failed"};
        for (int code = 0; code < meanings.length; code++) {
            assertTrue(Pattern.compile("(?m)^\\s+" + code + "\\s+" + Pattern.quote(meanings[code]))
                    .matcher(r.stdout()).find(), "exit code " + code + " missing from --help\n" + r.describe());
        }
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        Proc.Result r = dist.run(root, "--no-such-option").expectExit(2);
        assertTrue(r.stderr().contains("Unknown option: '--no-such-option'"), r.describe());
        Proc.Result sub = dist.run(root, "token", "mint", "--repo", "app", "--ref", "refs/heads/main",
                "--frobnicate").expectExit(2);
        assertTrue(sub.stderr().contains("Unknown option: '--frobnicate'"), sub.describe());
    }

    @Test
    void theShippedExamplePolicyIsValid() {
        Path home = Dist.home();
        Proc.Result r = dist.run(home, "policy", "check", "policies/example.policy.yaml").expectOk();
        assertTrue(r.stdout().startsWith("ok: policies/example.policy.yaml"), r.describe());
    }
}
