package dev.gatekeeper.cli.e2e;

import static dev.gatekeeper.cli.e2e.Pushes.assertContains;
import static dev.gatekeeper.cli.e2e.Pushes.assertRefusedByGate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server whose policy breaks after the install (an admin's typo, a bad merge of the config repository): the gate
 * fails closed, {@code policy check} says where the problem is, and only break-glass gets through, audited and
 * alerted. Over {@code git daemon}, so secrets and the alert URL come from files in {@code $GIT_DIR/gatekeeper/}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a backstop: every process also has its own timeout
class FailClosedIT {
    static final String MAIN = "refs/heads/main";

    @TempDir Path root;
    Map<String, String> env;
    Git git;
    Dist dist;
    GitServer server;
    GitDaemon daemon;
    String url;

    @BeforeEach
    void setUp() {
        env = Env.isolated(root);
        git = new Git(env);
        dist = new Dist(env);
        server = GitServer.create(git, root.resolve("srv"), "app");
        dist.install(Policies.standard(root.resolve("policies")), server.gitDir(), false);
        daemon = GitDaemon.start(env, server.gitDir().getParent());
        url = daemon.url("app.git");
    }

    @AfterEach
    void stopDaemon() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void brokenPolicyRefusesEvenAFeatureBranchAndPolicyCheckSaysWhere() {
        Path work = git.cloneInto(url, root.resolve("work"));
        git.commit(work, "a.txt", "a\n", "before the policy broke");
        git.push(work, List.of(), url, "HEAD:refs/heads/feature/before").expectOk();

        server.write("policy.yaml", Policies.UNKNOWN_KEY);
        git.commit(work, "b.txt", "b\n", "after the policy broke");
        Proc.Result r = git.push(work, List.of(), url, "HEAD:refs/heads/feature/after");

        String id = assertRefusedByGate(r, "refs/heads/feature/after", "fail-closed");
        assertContains(r, "no usable policy");
        assertContains(r, server.policyFile() + ":5:5: 'alowDeletion': unknown key");
        assertNull(server.rev("refs/heads/feature/after"), "nothing may land while the policy is broken");
        JsonNode e = server.requireEvent(id);
        assertEquals("push.refused", e.path("type").asText(), e.toString());
        assertEquals("fail-closed", e.path("rule").asText(), e.toString());

        Proc.Result check = dist.run(root, "policy", "check", server.policyFile().toString()).expectExit(2);
        assertTrue(check.stderr().contains(server.policyFile() + ":5:5: 'alowDeletion': unknown key"),
                "policy check should point at file:line:col\n" + check.describe());

        // Not even YAML: the same.
        server.write("policy.yaml", Policies.INVALID_YAML);
        Proc.Result r2 = git.push(work, List.of(), url, "HEAD:refs/heads/feature/yaml");
        assertRefusedByGate(r2, "refs/heads/feature/yaml", "fail-closed");
        assertNull(server.rev("refs/heads/feature/yaml"));
        Proc.Result check2 = dist.run(root, "policy", "check", server.policyFile().toString()).expectExit(2);
        assertTrue(Pattern.compile(Pattern.quote(server.policyFile().toString()) + ":\\d+:\\d+: ")
                .matcher(check2.stderr()).find(), "policy check should point at file:line:col\n" + check2.describe());
    }

    @Test
    void breakGlassGetsThroughABrokenPolicyAuditedAndAlerted() throws IOException {
        try (AlertWebhook webhook = AlertWebhook.start()) {
            server.write("alert.url", webhook.url() + "\n");
            Path breakGlassSecret = server.writeSecret("break-glass.secret");
            server.write("policy.yaml", Policies.UNKNOWN_KEY);
            Path work = git.cloneInto(url, root.resolve("work"));
            String before = server.main();
            String sha = git.commit(work, "hotfix.txt", "the fix\n", "hotfix");

            // Without break-glass: refused, and the broken policy itself is alerted.
            assertRefusedByGate(git.push(work, List.of(), url, "HEAD:main"), MAIN, "fail-closed");
            assertEquals(before, server.main());

            String reason = "INC-4711 checkout is down and the policy is broken";
            Dist.BreakGlassToken bg = dist.breakGlass(root, "app", reason, breakGlassSecret);
            Proc.Result r = git.push(work, List.of("gatekeeper-break-glass=" + bg.token()), url, "HEAD:main");

            r.expectOk();
            assertContains(r, "remote: gatekeeper: BREAK-GLASS accepted for " + MAIN);
            assertContains(r, "alert sent");
            assertEquals(sha, server.main(), "break-glass should have updated main");

            // Audited, as the CLI reads the log back.
            Proc.Result tail = dist.run(root, "events", "tail", "--git-dir", server.gitDir().toString(), "--json")
                    .expectOk();
            List<JsonNode> events = new ArrayList<>();
            for (String line : tail.stdout().strip().split("\n")) {
                events.add(GitServer.JSON.readTree(line));
            }
            JsonNode e = events.stream().filter(x -> "push.break-glass".equals(x.path("type").asText())).findFirst()
                    .orElseThrow(() -> new AssertionError("no push.break-glass event\n" + tail.describe()));
            assertEquals("break-glass:" + bg.id(), e.path("proof").asText(), e.toString());
            assertTrue(bg.id().startsWith("tok-"), bg.id());
            assertEquals(MAIN, e.path("ref").asText(), e.toString());
            assertEquals(sha, e.path("new").asText(), e.toString());
            assertEquals("allowed", e.path("decision").asText(), e.toString());
            assertTrue(e.path("reason").asText().contains(reason), e.toString());
            assertTrue(e.path("reason").asText().contains("by " + Env.USER), e.toString());

            // Alerted: a JSON POST to the webhook for the break-glass, and one for the broken policy before it.
            List<AlertWebhook.Received> got = webhook.received();
            AlertWebhook.Received alert = got.stream().filter(x -> x.body().contains("break-glass on"))
                    .findFirst().orElseThrow(() -> new AssertionError("no break-glass alert; received: " + got));
            assertEquals("POST", alert.method());
            assertTrue(alert.contentType() != null && alert.contentType().startsWith("application/json"),
                    alert.toString());
            JsonNode body = GitServer.JSON.readTree(alert.body());
            assertTrue(body.path("title").asText().contains("break-glass"), alert.body());
            assertEquals(e.path("id").asText(), body.path("event").asText(), alert.body());
            assertEquals("break-glass:" + bg.id(), body.path("fields").path("proof").asText(), alert.body());
            assertEquals("critical", body.path("severity").asText(), alert.body());
            assertTrue(got.stream().anyMatch(x -> x.body().contains("policy-error")),
                    "the fail-closed refusal should have raised a policy-error alert; received: " + got);
        }
    }
}
