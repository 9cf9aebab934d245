package dev.gatekeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.gatekeeper.verify.Git;
import dev.gatekeeper.verify.GitDaemon;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * verify-push end to end: the built distribution's {@code bin/gatekeeper}, a bare remote served by real git over
 * file:// and over {@code git daemon}, and agents that are small shell scripts.
 */
class VerifyPushIT {
    @TempDir
    Path tmp;

    private Git git;
    private Path served;
    private GitDaemon daemon;
    private Path agents;

    @BeforeEach
    void setUp() throws IOException {
        git = new Git(tmp.resolve("home"));
        served = Files.createDirectories(tmp.resolve("srv"));
        git.bare(served.resolve("app.git"));
        daemon = new GitDaemon(git, served, Map.of());
        agents = Files.createDirectories(tmp.resolve("agents"));
        agent("push.sh", "git commit -q --allow-empty -m 'agent work' && git push -q origin HEAD:main && echo done");
        agent("no-push.sh", "git commit -q --allow-empty -m 'agent work' && echo 'done, pushed!'");
        agent("other-branch.sh", "git commit -q --allow-empty -m 'agent work' && git push -q origin HEAD:agent/wip"
                + " && echo done");
        agent("crash.sh", "echo 'working...' && exit 9");
        // pushes, then a colleague (another clone, $OTHER) pushes on top before anyone checks
        agent("push-then-moved.sh", "git commit -q --allow-empty -m 'agent work' && git push -q origin HEAD:main"
                + " && cd \"$OTHER\" && git pull -q origin main && git commit -q --allow-empty -m 'colleague'"
                + " && git push -q origin HEAD:main && echo done");
    }

    @AfterEach
    void tearDown() {
        daemon.close();
    }

    private void agent(String name, String body) throws IOException {
        Files.writeString(agents.resolve(name), "#!/bin/sh\nset -e\n" + body + "\n", StandardCharsets.UTF_8);
        agents.resolve(name).toFile().setExecutable(true);
    }

    /** The remote URL for a transport: "file" (read directly) or "daemon" (git://, JGit transport). */
    private String url(String transport) {
        return transport.equals("file") ? served.resolve("app.git").toUri().toString() : daemon.url("app.git");
    }

    private Path clone(String transport, String name) {
        Path dir = tmp.resolve(name);
        if (!Files.exists(served.resolve("app.git/refs/heads/main"))
                && git.run(served.resolve("app.git"), Map.of(), List.of("git", "rev-parse", "-q", "--verify",
                        "refs/heads/main")).exit() != 0) {
            return git.seededClone(url(transport), dir);
        }
        Path c = git.clone(url(transport), dir);
        git.git(c, "branch", "-q", "-u", "origin/main");
        return c;
    }

    private Git.Run gatekeeper(Path dir, Map<String, String> env, String... args) {
        Path bin = Path.of(System.getProperty("gatekeeper.dist", "target/dist-missing"), "bin", "gatekeeper");
        assertTrue(Files.isExecutable(bin), "the distribution is built: " + bin);
        List<String> cmd = new ArrayList<>(List.of(bin.toString(), "verify-push"));
        cmd.addAll(List.of(args));
        Map<String, String> e = new HashMap<>(env);
        e.put("GATEKEEPER_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return git.run(dir, e, cmd);
    }

    private List<String> events(Path clone) throws IOException {
        Path log = clone.resolve(".git/gatekeeper/events.jsonl");
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "daemon"})
    void anHonestAgentIsVerified(String transport) throws IOException {
        Path work = clone(transport, "work");
        Git.Run r = gatekeeper(work, Map.of(), "--timeout", "5s", "--", agents.resolve("push.sh").toString());
        assertEquals(0, r.exit(), r.stdout() + r.stderr());
        assertTrue(r.stdout().startsWith("done\n"), "agent output streamed through: " + r.stdout());
        assertTrue(r.stdout().contains("verified: origin"), r.stdout());
        assertEquals(git.git(work, "rev-parse", "HEAD"), git.git(served.resolve("app.git"), "rev-parse", "main"));
        assertTrue(events(work).get(events(work).size() - 1).contains("\"type\":\"push.verified\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "daemon"})
    void anAgentThatSaysDoneWithoutPushingIsCaught(String transport) throws Exception {
        Path work = clone(transport, "work");
        List<String> alerts = new CopyOnWriteArrayList<>();
        HttpServer pager = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        pager.createContext("/hook", x -> {
            alerts.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        pager.start();
        try {
            Git.Run r = gatekeeper(work, Map.of("AGENT_ALERTS", "http://127.0.0.1:" + pager.getAddress().getPort()
                    + "/hook"), "--timeout", "2s", "--alert-webhook-env", "AGENT_ALERTS", "--",
                    agents.resolve("no-push.sh").toString());
            assertEquals(3, r.exit(), r.stdout() + r.stderr());
            assertTrue(r.stdout().contains("done, pushed!"), r.stdout());
            String verdict = r.stdout().strip().lines().reduce((a, b) -> b).orElse("");
            assertTrue(verdict.startsWith("NOT VERIFIED: origin"), verdict);
            assertTrue(verdict.contains("agent command succeeded but nothing was pushed to refs/heads/main"),
                    verdict);
            assertTrue(events(work).get(events(work).size() - 1).contains("\"type\":\"push.unverified\""));
            assertEquals(1, alerts.size(), "one alert");
            assertTrue(alerts.get(0).contains("push not verified"), alerts.get(0));
        } finally {
            pager.stop(0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "daemon"})
    void anAgentThatPushedElsewhereIsCaught(String transport) {
        Path work = clone(transport, "work");
        Git.Run r = gatekeeper(work, Map.of(), "--timeout", "2s", "--",
                agents.resolve("other-branch.sh").toString());
        assertEquals(3, r.exit(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("nothing was pushed to refs/heads/main"), r.stdout());
        // and checking the branch it did push verifies
        Git.Run other = gatekeeper(work, Map.of(), "--branch", "agent/wip", "--timeout", "2s");
        assertEquals(0, other.exit(), other.stdout() + other.stderr());
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "daemon"})
    void aFailingAgentIsReportedAndNotVerified(String transport) throws IOException {
        Path work = clone(transport, "work");
        Git.Run r = gatekeeper(work, Map.of(), "--timeout", "2s", "--json", "--",
                agents.resolve("crash.sh").toString());
        assertEquals(3, r.exit(), r.stdout() + r.stderr());
        assertTrue(r.stderr().contains("working..."), "with --json the agent's stdout goes to stderr");
        JsonNode j = new ObjectMapper().readTree(r.stdout());
        assertEquals("not-verified", j.get("verdict").asText());
        assertEquals("agent command failed (exit 9)", j.get("reason").asText());
        assertEquals(9, j.get("agent").get("exit").asInt());
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "daemon"})
    void aRemoteMovedOnByOthersVerifiesWithContainsOnly(String transport) throws IOException {
        Path work = clone(transport, "work");
        Path colleague = clone(transport, "colleague");
        Git.Run exact = gatekeeper(work, Map.of("OTHER", colleague.toString()), "--timeout", "2s", "--",
                agents.resolve("push-then-moved.sh").toString());
        assertEquals(3, exact.exit(), exact.stdout() + exact.stderr());
        assertTrue(exact.stdout().contains("agent command succeeded but the branch is at"), exact.stdout());

        git.git(work, "pull", "-q", "--ff-only", "origin", "main");
        Git.Run contains = gatekeeper(work, Map.of("OTHER", colleague.toString()), "--timeout", "5s", "--contains",
                "--json", "--", agents.resolve("push-then-moved.sh").toString());
        assertEquals(0, contains.exit(), contains.stdout() + contains.stderr());
        JsonNode j = new ObjectMapper().readTree(contains.stdout());
        assertEquals("verified", j.get("verdict").asText());
        assertEquals(git.git(work, "rev-parse", "HEAD"), j.get("expected").asText());
        assertFalse(j.get("after").asText().equals(j.get("expected").asText()), "the remote moved past HEAD");
        assertTrue(j.get("timings").get("total_ms").asLong() > 0);
        assertTrue(j.get("attempts").asInt() >= 1);
        assertTrue(j.has("before"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "daemon"})
    void plainModeExpectAndSince(String transport) throws IOException {
        Path work = clone(transport, "work");
        String base = git.git(work, "rev-parse", "HEAD");
        git.commit(work, "unpushed");
        Git.Run r = gatekeeper(work, Map.of(), "--timeout", "1s", "--json");
        assertEquals(3, r.exit(), r.stdout() + r.stderr());
        JsonNode j = new ObjectMapper().readTree(r.stdout());
        assertEquals(git.git(work, "rev-parse", "HEAD"), j.get("expected").asText());
        assertEquals(base, j.get("after").asText());
        assertTrue(j.get("attempts").asInt() > 1, "re-read until the deadline");

        assertEquals(0, gatekeeper(work, Map.of(), "--expect", base).exit());
        assertEquals(3, gatekeeper(work, Map.of(), "--since", base, "--timeout", "500ms").exit());
        git.git(work, "push", "-q", "origin", "HEAD:main");
        assertEquals(0, gatekeeper(work, Map.of(), "--since", base).exit());
        assertEquals(0, gatekeeper(work, Map.of()).exit());
        assertEquals(0, gatekeeper(tmp, Map.of(), "--remote", url(transport), "--branch", "main", "--expect",
                git.git(work, "rev-parse", "HEAD"), "--audit-log", tmp.resolve("audit.jsonl").toString()).exit(),
                "outside a clone, with a URL");
        assertTrue(Files.readString(tmp.resolve("audit.jsonl")).contains("push.verified"));
    }

    @Test
    void anUnreachableRemoteIsInconclusive() throws IOException {
        Path work = clone("daemon", "work");
        daemon.close();
        Git.Run r = gatekeeper(work, Map.of(), "--timeout", "2s");
        assertEquals(4, r.exit(), r.stdout() + r.stderr());
        assertTrue(r.stdout().startsWith("INCONCLUSIVE: origin"), r.stdout());
        assertTrue(events(work).get(events(work).size() - 1).contains("\"type\":\"push.inconclusive\""));
    }

    @Test
    void gitHubApiThroughTheDistribution() throws IOException {
        com.github.tomakehurst.wiremock.WireMockServer api = new com.github.tomakehurst.wiremock.WireMockServer(
                com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().bindAddress("127.0.0.1")
                        .dynamicPort().usingFilesUnderClasspath("dev/gatekeeper/verify/github"));
        api.start();
        try {
            for (String stub : List.of("repository.json", "ref-gh-pages.json")) {
                try (java.io.InputStream in = getClass().getClassLoader()
                        .getResourceAsStream("dev/gatekeeper/verify/github/stubs/" + stub)) {
                    api.addStubMapping(com.github.tomakehurst.wiremock.stubbing.StubMapping.buildFrom(
                            new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
            Map<String, String> env = Map.of("GITHUB_TOKEN", "ghp_test-token");
            Git.Run r = gatekeeper(tmp, env, "--github", "hub4j-test-org/github-api", "--github-api-url",
                    api.baseUrl(), "--branch", "gh-pages", "--expect", "4e64a0f9c3d561ab8587d2f7b03074b8745b5943",
                    "--audit-log", tmp.resolve("gh.jsonl").toString());
            assertEquals(0, r.exit(), r.stdout() + r.stderr());
            assertTrue(r.stdout().startsWith("verified: github hub4j-test-org/github-api"), r.stdout());
            r = gatekeeper(tmp, env, "--github", "hub4j-test-org/nope", "--github-api-url", api.baseUrl(),
                    "--branch", "main", "--expect", "4e64a0f9c3d561ab8587d2f7b03074b8745b5943", "--timeout", "2s",
                    "--audit-log", tmp.resolve("gh.jsonl").toString());
            assertEquals(4, r.exit(), "an unknown repository is inconclusive: " + r.stdout() + r.stderr());
        } finally {
            api.stop();
        }
    }

    @Test
    void usageErrorsExitTwo() {
        Path work = clone("file", "work");
        assertEquals(2, gatekeeper(work, Map.of(), "--bogus").exit());
        assertEquals(2, gatekeeper(work, Map.of(), "--remote", "nosuch").exit());
        assertEquals(2, gatekeeper(work, Map.of(), "--since", "HEAD", "--", "true").exit());
        assertEquals(2, gatekeeper(work, Map.of(), "--timeout", "soon").exit());
        Git.Run help = gatekeeper(work, Map.of(), "--help");
        assertEquals(0, help.exit());
        assertTrue(help.stdout().contains("--contains"));
    }
}
