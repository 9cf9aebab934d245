package dev.gatekeeper.cli.e2e;

import static dev.gatekeeper.cli.e2e.Pushes.assertContains;
import static dev.gatekeeper.cli.e2e.Pushes.assertRefusedByGate;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile or broken policy can never hang a push: one 50 MB quoted scalar (the issue measured more than 60 s and
 * about 1 GB in the YAML parser) is refused by size before any parsing, in the hook and in {@code policy check}.
 * The processes get 30 s, far more than a refusal needs; on a gate that parses first they time out.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a backstop: every process also has its own timeout
class PolicySizeIT {
    static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir Path root;

    /** A syntactically valid policy whose howToLand is one quoted scalar of {@code megabytes} MB. */
    static void writeHugePolicy(Path file, int megabytes) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write("version: 1\nprotected:\n  - ref: refs/heads/main\n    howToLand: \"".getBytes(
                    StandardCharsets.UTF_8));
            byte[] chunk = "a".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < megabytes; i++) {
                out.write(chunk);
            }
            out.write("\"\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aFiftyMegabytePolicyIsRefusedBySizeInPolicyCheckAndInTheHook() throws IOException {
        Map<String, String> env = Env.isolated(root);
        Git git = new Git(env);
        Dist dist = new Dist(env);
        Path huge = root.resolve("policies/huge.yaml");
        writeHugePolicy(huge, 50);

        Proc.Result check = dist.run(root, Map.of(), null, PATIENCE, "policy", "check", huge.toString());
        check.expectExit(2);
        assertTrue(check.stderr().contains(huge + ":1:1: the policy file is " + Files.size(huge) + " bytes"),
                check.describe());
        assertTrue(check.stderr().contains("at most"), check.describe());

        GitServer server = GitServer.create(git, root.resolve("srv"), "app");
        dist.install(Policies.standard(root.resolve("policies")), server.gitDir(), false);
        writeHugePolicy(server.policyFile(), 50);
        Path work = git.cloneInto(server.fileUrl(), root.resolve("work"));
        git.commit(work, "f.txt", "x\n", "feature");

        Proc.Result push = Proc.run(work, env, null, PATIENCE, List.of("git", "push", server.fileUrl(),
                "HEAD:refs/heads/feature"));

        assertRefusedByGate(push, "refs/heads/feature", "fail-closed");
        assertContains(push, "the policy file is " + Files.size(server.policyFile()) + " bytes");
        assertNull(server.rev("refs/heads/feature"));
    }

    @Test
    void aPolicyThatIsNotARegularFileIsRefusedWithoutReadingIt() {
        Map<String, String> env = Env.isolated(root);
        Dist dist = new Dist(env);
        // /dev/zero never ends: a gate that reads first never answers
        Proc.Result check = dist.run(root, Map.of(), null, PATIENCE, "policy", "check", "/dev/zero");
        check.expectExit(2);
        assertTrue(check.stderr().contains("/dev/zero:1:1: not a regular file"), check.describe());
    }
}
