package dev.gatekeeper.verify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The GitHub reader against WireMock serving GitHub's recorded answers (see resources/…/github/README.md). */
class GitHubRefReaderTest {
    private static final String ROOT = "dev/gatekeeper/verify/github";
    private static final String REPO = "hub4j-test-org/github-api";
    private static final String REF_URL = "/repos/" + REPO + "/git/refs/heads/gh-pages";
    private static final String GH_PAGES = "4e64a0f9c3d561ab8587d2f7b03074b8745b5943";
    private static final Backoff FAST = new Backoff(Duration.ofMillis(50), Duration.ofMillis(200));

    private WireMockServer server;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().usingFilesUnderClasspath(ROOT));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    /** Adds a recorded mapping from {@code stubs/}, with placeholders filled in; returns it for scenarios. */
    private StubMapping stub(String name, String... replacements) throws IOException {
        String json;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(ROOT + "/stubs/" + name)) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (int i = 0; i + 1 < replacements.length; i += 2) {
            json = json.replace(replacements[i], replacements[i + 1]);
        }
        StubMapping m = StubMapping.buildFrom(json);
        server.addStubMapping(m);
        return m;
    }

    private GitHubRefReader reader(Duration timeout) {
        return new GitHubRefReader(server.baseUrl(), REPO, "ghp_test-token", timeout);
    }

    private Verification verify(Expectation e, Duration timeout) throws Exception {
        try (GitHubRefReader r = reader(timeout)) {
            return new VerifyPushCommand().setReader(r).setRef("refs/heads/gh-pages").setExpectation(e)
                    .setTimeout(timeout).setBackoff(FAST).call();
        }
    }

    @Test
    void readsARefAndAMissingRef() throws Exception {
        stub("repository.json");
        stub("ref-gh-pages.json");
        stub("ref-missing.json");
        try (GitHubRefReader r = reader(Duration.ofSeconds(5))) {
            assertEquals(Optional.of(GH_PAGES), r.tip("refs/heads/gh-pages"));
            assertEquals(Optional.empty(), r.tip("refs/heads/missing"));
        }
        server.verify(getRequestedFor(urlEqualTo(REF_URL)).withHeader("Authorization",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("token ghp_test-token")));
        Verification v = verify(Expectation.exact(GH_PAGES), Duration.ofSeconds(5));
        assertEquals(Verdict.VERIFIED, v.verdict());
        assertEquals("github", v.readerKind());
    }

    @Test
    void aMissingBranchIsNotVerified() throws Exception {
        stub("repository.json");
        stub("ref-missing.json");
        try (GitHubRefReader r = reader(Duration.ofSeconds(1))) {
            Verification v = new VerifyPushCommand().setReader(r).setRef("refs/heads/missing")
                    .setExpectation(Expectation.exact(GH_PAGES)).setTimeout(Duration.ofMillis(500)).setBackoff(FAST)
                    .call();
            assertEquals(Verdict.NOT_VERIFIED, v.verdict());
        }
    }

    @Test
    void badCredentialsAreInconclusiveAtOnce() throws Exception {
        server.stubFor(get("/repos/" + REPO).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody("{\"message\":\"Bad credentials\",\"documentation_url\":\"https://docs.github.com/rest\"}")));
        Verification v = verify(Expectation.exact(GH_PAGES), Duration.ofSeconds(5));
        assertEquals(Verdict.INCONCLUSIVE, v.verdict());
        assertTrue(v.reason().contains("401"), v.reason());
        assertEquals(1, v.verifyAttempts(), "no point asking again with the same token");
    }

    @Test
    void aRepositoryThatIsNotThereIsInconclusive() throws Exception {
        server.stubFor(get("/repos/" + REPO).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody("{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest\"}")));
        Verification v = verify(Expectation.exact(GH_PAGES), Duration.ofSeconds(5));
        assertEquals(Verdict.INCONCLUSIVE, v.verdict());
        assertTrue(v.reason().contains("no repository " + REPO), v.reason());
    }

    @Test
    void aRateLimitThatResetsWithinTheDeadlineIsWaitedOut() throws Exception {
        stub("repository.json");
        StubMapping limited = stub("ref-rate-limited.json", "RESET_SECONDS", "2");
        limited.setScenarioName("rate-limit");
        limited.setRequiredScenarioState(Scenario.STARTED);
        limited.setNewScenarioState("reset");
        server.editStubMapping(limited);
        StubMapping ok = stub("ref-gh-pages.json");
        ok.setScenarioName("rate-limit");
        ok.setRequiredScenarioState("reset");
        server.editStubMapping(ok);

        Verification v = verify(Expectation.exact(GH_PAGES), Duration.ofSeconds(15));
        assertEquals(Verdict.VERIFIED, v.verdict(), v.reason());
        assertEquals(2, v.verifyAttempts());
        assertTrue(v.attempts().get(0).error().contains("rate limit"), v.attempts().toString());
        assertTrue(v.attempts().get(1).atMillis() >= 900, "waited for x-ratelimit-reset: " + v.attempts());
    }

    @Test
    void aRateLimitThatResetsAfterTheDeadlineIsInconclusiveWithoutWaiting() throws Exception {
        stub("repository.json");
        stub("ref-rate-limited.json", "RESET_SECONDS", "3600");
        long start = System.nanoTime();
        Verification v = verify(Expectation.exact(GH_PAGES), Duration.ofSeconds(10));
        assertEquals(Verdict.INCONCLUSIVE, v.verdict());
        assertTrue(v.reason().contains("after the deadline"), v.reason());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "did not wait for the reset");
    }

    @Test
    void retryAfterIsHonoured() throws Exception {
        stub("repository.json");
        server.stubFor(get(REF_URL).inScenario("secondary").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(403).withHeader("Retry-After", "1")
                        .withHeader("Content-Type", "application/json; charset=utf-8")
                        .withBody("{\"message\":\"You have exceeded a secondary rate limit.\"}"))
                .willSetStateTo("later"));
        StubMapping ok = stub("ref-gh-pages.json");
        ok.setScenarioName("secondary");
        ok.setRequiredScenarioState("later");
        server.editStubMapping(ok);
        Verification v = verify(Expectation.exact(GH_PAGES), Duration.ofSeconds(10));
        assertEquals(Verdict.VERIFIED, v.verdict(), v.reason());
        assertTrue(v.attempts().get(1).atMillis() >= 900, v.attempts().toString());
    }

    @Test
    void aSlowServerTimesOut() throws Exception {
        stub("repository.json");
        server.stubFor(get(REF_URL).willReturn(aResponse().withStatus(200).withFixedDelay(10_000)
                .withBodyFile("ref-gh-pages.json")));
        long start = System.nanoTime();
        Verification v = verify(Expectation.exact(GH_PAGES), Duration.ofSeconds(1));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Verdict.INCONCLUSIVE, v.verdict());
        assertTrue(ms < 5000, "took " + ms);
    }

    @Test
    void aResetConnectionIsInconclusive() throws Exception {
        stub("repository.json");
        server.stubFor(get(REF_URL).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        Verification v = verify(Expectation.exact(GH_PAGES), Duration.ofSeconds(1));
        assertEquals(Verdict.INCONCLUSIVE, v.verdict());
        assertTrue(v.verifyAttempts() >= 2, "a reset may pass: it is retried");
        RemoteReadException e = assertThrows(RemoteReadException.class, () -> {
            try (GitHubRefReader r = reader(Duration.ofSeconds(2))) {
                r.tip("refs/heads/gh-pages");
            }
        });
        assertEquals(RemoteReadException.Kind.UNREACHABLE, e.kind(), e.getMessage());
    }

    /** The fields of GitHub's compare answer that github-api reads (the real one also lists commits and files). */
    private String compare(String base, String status) {
        String commit = "{\"sha\":\"%s\",\"url\":\"https://api.github.com/repos/" + REPO + "/commits/%s\","
                + "\"commit\":{\"message\":\"m\",\"author\":{\"name\":\"A\",\"email\":\"a@example.com\","
                + "\"date\":\"2020-06-10T23:27:59Z\"}},\"parents\":[]}";
        return "{\"url\":\"https://api.github.com/repos/" + REPO + "/compare/" + base + "..." + GH_PAGES + "\","
                + "\"base_commit\":" + String.format(commit, base, base) + ","
                + "\"merge_base_commit\":" + String.format(commit, base, base) + ","
                + "\"status\":\"" + status + "\",\"ahead_by\":3,\"behind_by\":0,\"total_commits\":3,"
                + "\"commits\":[],\"files\":[]}";
    }

    @Test
    void containsUsesTheCompareApi() throws Exception {
        stub("repository.json");
        stub("ref-gh-pages.json");
        String older = "1111111111111111111111111111111111111111";
        String stranger = "2222222222222222222222222222222222222222";
        server.stubFor(get("/repos/" + REPO + "/compare/" + older + "..." + GH_PAGES).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody(compare(older, "ahead"))));
        server.stubFor(get("/repos/" + REPO + "/compare/" + stranger + "..." + GH_PAGES).willReturn(aResponse()
                .withStatus(404).withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody("{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest\"}")));
        assertEquals(Verdict.VERIFIED, verify(Expectation.contains(older), Duration.ofSeconds(5)).verdict());
        try (GitHubRefReader r = reader(Duration.ofSeconds(5))) {
            assertFalse(r.contains(GH_PAGES, stranger));
        }
    }
}
