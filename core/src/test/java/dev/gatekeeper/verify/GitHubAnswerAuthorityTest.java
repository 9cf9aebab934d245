package dev.gatekeeper.verify;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.gatekeeper.github.GitHubAnswers.answer;
import static dev.gatekeeper.github.GitHubAnswers.answerFile;
import static dev.gatekeeper.github.GitHubAnswers.error;
import static dev.gatekeeper.github.GitHubAnswers.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.gatekeeper.ExitCode;
import dev.gatekeeper.github.GitHubAnswers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Only an authoritative GitHub answer is a verdict: a 404 for the ref, or a well-formed list of other refs, is "not
 * verified"; anything GitHub would never send for a ref (truncated, empty, a list where the ref object belongs, a
 * field of the wrong type) is "inconclusive" with the reason. Bodies are our own, written in the shapes GitHub
 * sends (resources/…/verify/github-written/README.md), apart from the recorded set of {@link GitHubRefReaderTest}.
 */
class GitHubAnswerAuthorityTest {
    private static final String ROOT = "dev/gatekeeper/verify/github-written/";
    private static final String REPO = "acme/app";
    private static final String REF = "refs/heads/main";
    private static final String REF_URL = "/repos/" + REPO + "/git/refs/heads/main";
    private static final String MAIN = "9c1f4e2b7a0d3c5e8f6a1b2c3d4e5f60718293a4";
    private static final String OLDER = "3b7e1d0c9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c";
    private static final Backoff FAST = new Backoff(Duration.ofMillis(50), Duration.ofMillis(200));
    /**
     * The deadline of runs that end in "not verified" or "inconclusive" (they read until it passes). From 1 s on,
     * verify-push gives every read at least a second, so a slow read on a loaded machine is not cut into "timed
     * out" (with 300 ms, a cold first read was).
     */
    private static final Duration SETTLE = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private WireMockServer server;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        server.stubFor(get(urlEqualTo("/repos/" + REPO)).willReturn(answerFile(200, ROOT + "repository.json")));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private GitHubRefReader reader() {
        return new GitHubRefReader(server.baseUrl(), REPO, "ghs_installation-token", Duration.ofSeconds(5));
    }

    private Verification verify(Expectation e, Duration timeout) throws Exception {
        try (GitHubRefReader r = reader()) {
            return new VerifyPushCommand().setReader(r).setRef(REF).setExpectation(e).setTimeout(timeout)
                    .setBackoff(FAST).call();
        }
    }

    private void refAnswers(ResponseDefinitionBuilder a) {
        server.stubFor(get(urlEqualTo(REF_URL)).willReturn(a));
    }

    @Test
    void aBranchGitHubAnswers404ForIsNotVerified() throws Exception {
        refAnswers(error(404, "Not Found", "https://docs.github.com/rest/git/refs#get-a-reference"));
        Verification v = verify(Expectation.exact(MAIN), SETTLE);
        assertEquals(Verdict.NOT_VERIFIED, v.verdict(), v.reason());
        assertEquals(ExitCode.REFUSED, v.verdict().exitCode());
        assertEquals(null, v.after());
    }

    @Test
    void aWellFormedListOfOtherBranchesIsNotVerified() throws Exception {
        // GitHub's answer for refs/heads/main when only main-old and main2 exist: the refs that start with it
        refAnswers(answerFile(200, ROOT + "refs-main-prefix.json"));
        Verification v = verify(Expectation.exact(MAIN), SETTLE);
        assertEquals(Verdict.NOT_VERIFIED, v.verdict(), v.reason());
        try (GitHubRefReader r = reader()) {
            assertEquals(Optional.empty(), r.tip(REF));
        }
    }

    @Test
    void anEmptyRepositoryHasNoBranchSoItIsNotVerified() throws Exception {
        refAnswers(error(409, "Git Repository is empty.", "https://docs.github.com/rest/git/refs#get-a-reference"));
        Verification v = verify(Expectation.exact(MAIN), SETTLE);
        assertEquals(Verdict.NOT_VERIFIED, v.verdict(), v.reason());
    }

    @Test
    void theRefItselfIsVerified() throws Exception {
        refAnswers(answerFile(200, ROOT + "ref-main.json"));
        Verification v = verify(Expectation.exact(MAIN), Duration.ofSeconds(5));
        assertEquals(Verdict.VERIFIED, v.verdict(), v.reason());
        assertEquals(1, v.verifyAttempts());
    }

    /** Bodies GitHub never sends for one ref, and a word the reason must carry for each. */
    private static Map<String, String> damagedBodies() throws Exception {
        String ref = file(ROOT + "ref-main.json");
        ObjectNode objectIsString = (ObjectNode) JSON.readTree(ref);
        objectIsString.put("object", MAIN);
        ObjectNode shaIsNumber = (ObjectNode) JSON.readTree(ref);
        ((ObjectNode) shaIsNumber.get("object")).put("sha", 12345);
        ObjectNode noObject = (ObjectNode) JSON.readTree(ref);
        noObject.remove("object");
        ObjectNode otherRef = (ObjectNode) JSON.readTree(ref);
        otherRef.put("ref", "refs/heads/release");
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put(ref.substring(0, ref.length() / 2), "truncated");
        bodies.put("", "empty");
        bodies.put("[]", "empty list");
        bodies.put(JSON.writeValueAsString(objectIsString), "'object'");
        bodies.put(JSON.writeValueAsString(shaIsNumber), "'sha'");
        bodies.put(JSON.writeValueAsString(noObject), "'object'");
        bodies.put(JSON.writeValueAsString(otherRef), "refs/heads/release");
        bodies.put("null", "null");
        bodies.put(ref.strip() + "\n{\"ref\":\"refs/heads/main\"}", "not JSON"); // two answers glued together
        bodies.put("<html><body><h1>Unicorn!</h1></body></html>", "not JSON");
        return bodies;
    }

    @Test
    void aDamagedRefAnswerIsNoAnswerAndItsReasonSaysWhatIsWrong() throws Exception {
        try (GitHubRefReader r = reader()) {
            for (Map.Entry<String, String> c : damagedBodies().entrySet()) {
                refAnswers(answer(200, c.getKey()));
                RemoteReadException e = assertThrows(RemoteReadException.class, () -> r.tip(REF),
                        "body " + abbrev(c.getKey()));
                assertTrue(e.kind().retryable(), "a damaged answer may pass (a proxy, a cut): " + e.kind());
                assertTrue(e.getMessage().contains(c.getValue()), "the reason names what is wrong (" + c.getValue()
                        + "): " + e.getMessage());
            }
        }
    }

    @Test
    void theIssuesDamagedAnswersAreInconclusiveNeverNotVerified() throws Exception {
        String ref = file(ROOT + "ref-main.json");
        Map<String, String> named = new LinkedHashMap<>();
        named.put(ref.substring(0, ref.length() / 2), "truncated");
        named.put("", "empty");
        named.put("[]", "empty list");
        named.put("{\"ref\":\"refs/heads/main\",\"object\":\"" + MAIN + "\"}", "'object' is a string");
        for (Map.Entry<String, String> c : named.entrySet()) {
            refAnswers(answer(200, c.getKey()));
            Verification v = verify(Expectation.exact(MAIN), SETTLE);
            String what = "body " + abbrev(c.getKey()) + ": " + v.reason();
            assertEquals(Verdict.INCONCLUSIVE, v.verdict(), what);
            assertEquals(ExitCode.INCONCLUSIVE, v.verdict().exitCode(), what);
            assertTrue(v.reason().contains(c.getValue()), what);
            assertTrue(v.verifyAttempts() >= 2, "read again before giving up: " + what);
        }
    }

    /**
     * Property: every strict prefix of the ref answer (a body cut anywhere) and every wrong type in every field the
     * verdict rests on is refused as an answer; none of them ever reads as "no such branch" or as a tip.
     */
    @Test
    void everyCutAndEveryWrongTypeOfTheRefAnswerIsRefusedAsAnAnswer() throws Exception {
        String ref = file(ROOT + "ref-main.json").strip();
        List<String> bodies = new ArrayList<>();
        Random seeded = new Random(16);
        for (int i = 0; i < 60; i++) {
            bodies.add(ref.substring(0, 1 + seeded.nextInt(ref.length() - 1)));
        }
        JsonNode[] wrong = {JsonNodeFactory.instance.textNode(MAIN), JsonNodeFactory.instance.numberNode(7),
            JSON.createArrayNode(), JSON.createObjectNode(), JsonNodeFactory.instance.nullNode(),
            JsonNodeFactory.instance.booleanNode(true)};
        for (String[] path : new String[][] {{"ref"}, {"object"}, {"object", "sha"}, {"object", "type"}}) {
            for (JsonNode w : wrong) {
                ObjectNode n = (ObjectNode) JSON.readTree(ref);
                ObjectNode parent = path.length == 1 ? n : (ObjectNode) n.get(path[0]);
                JsonNode before = parent.get(path[path.length - 1]);
                if (before.getNodeType() == w.getNodeType()) {
                    continue; // not a wrong type
                }
                parent.set(path[path.length - 1], w);
                bodies.add(JSON.writeValueAsString(n));
            }
        }
        try (GitHubRefReader r = reader()) {
            for (String body : bodies) {
                refAnswers(answer(200, body));
                try {
                    Optional<String> tip = r.tip(REF);
                    fail("a damaged answer was taken as " + (tip.isEmpty() ? "'no such branch'" : "tip " + tip.get())
                            + ": " + body);
                } catch (RemoteReadException expected) {
                    assertTrue(expected.kind().retryable(), expected.kind() + " for " + body);
                }
            }
        }
        assertTrue(bodies.size() > 70, "cases: " + bodies.size());
    }

    @Test
    void aComparisonWithoutAStatusIsInconclusiveNotAMissingCommit() throws Exception {
        refAnswers(answerFile(200, ROOT + "ref-main.json"));
        ObjectNode compare = (ObjectNode) JSON.readTree(file(ROOT + "compare-ahead.json"));
        String url = "/repos/" + REPO + "/compare/" + OLDER + "..." + MAIN;
        server.stubFor(get(urlEqualTo(url)).willReturn(answer(200, JSON.writeValueAsString(compare))));
        assertEquals(Verdict.VERIFIED, verify(Expectation.contains(OLDER), Duration.ofSeconds(5)).verdict());

        compare.remove("status");
        server.stubFor(get(urlEqualTo(url)).willReturn(answer(200, JSON.writeValueAsString(compare))));
        Verification v = verify(Expectation.contains(OLDER), SETTLE);
        assertEquals(Verdict.INCONCLUSIVE, v.verdict(), v.reason());
        assertTrue(v.reason().contains("'status'"), v.reason());

        server.stubFor(get(urlEqualTo(url)).willReturn(answer(200, "[]")));
        assertEquals(Verdict.INCONCLUSIVE, verify(Expectation.contains(OLDER), SETTLE).verdict());
    }

    @Test
    void aSecondaryRateLimitSaidOnlyInTheBodyIsRetriedAndNamed() throws Exception {
        server.stubFor(get(urlEqualTo(REF_URL)).inScenario("secondary").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(GitHubAnswers.secondaryRateLimitInTheBodyOnly()).willSetStateTo("calm"));
        server.stubFor(get(urlEqualTo(REF_URL)).inScenario("secondary").whenScenarioStateIs("calm")
                .willReturn(answerFile(200, ROOT + "ref-main.json")));
        Verification v = verify(Expectation.exact(MAIN), Duration.ofSeconds(20));
        assertEquals(Verdict.VERIFIED, v.verdict(), v.reason());
        assertEquals(2, v.verifyAttempts(), v.attempts().toString());
        assertTrue(v.attempts().get(0).error().contains("secondary rate limit"), v.attempts().toString());
        assertTrue(v.attempts().get(1).atMillis() >= 900, "backed off before asking again: " + v.attempts());
    }

    @Test
    void aSecondaryRateLimitThatOutlastsTheTimeoutIsInconclusiveAndSaysRateLimit() throws Exception {
        refAnswers(GitHubAnswers.secondaryRateLimitInTheBodyOnly());
        long start = System.nanoTime();
        Verification v = verify(Expectation.exact(MAIN), Duration.ofSeconds(4));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Verdict.INCONCLUSIVE, v.verdict(), v.reason());
        assertTrue(v.reason().contains("secondary rate limit"), v.reason());
        assertTrue(!v.reason().contains("lacks access"), v.reason());
        assertTrue(v.verifyAttempts() >= 2, "retried within the timeout: " + v.attempts());
        assertTrue(ms < 6000, "stayed within the timeout: " + ms + " ms");
    }

    @Test
    void aTokenThatUserRefusesVerifiesAndUserIsNeverAsked() throws Exception {
        refAnswers(answerFile(200, ROOT + "ref-main.json"));
        server.stubFor(get(urlPathEqualTo("/user")).willReturn(GitHubAnswers.userRefusedToAnInstallationToken()));
        assertEquals(Verdict.VERIFIED, verify(Expectation.exact(MAIN), Duration.ofSeconds(5)).verdict());
        server.stubFor(get(urlPathEqualTo("/user")).willReturn(error(401, "Bad credentials",
                "https://docs.github.com/rest")));
        assertEquals(Verdict.VERIFIED, verify(Expectation.exact(MAIN), Duration.ofSeconds(5)).verdict());
        server.verify(0, getRequestedFor(urlPathEqualTo("/user")));
        server.verify(getRequestedFor(urlEqualTo(REF_URL)).withHeader("Authorization",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("token ghs_installation-token")));
    }

    @Test
    void aReadThatFailsIsNeverTakenForAMissingBranch() {
        refAnswers(answer(200, "{\"ref\":\"refs/heads/main\",\"object\":\"" + MAIN + "\"}"));
        RemoteReadException e = assertThrows(RemoteReadException.class, () -> {
            try (GitHubRefReader r = reader()) {
                r.tip(REF);
            }
        });
        assertTrue(e.getMessage().contains(REF_URL), "says which answer: " + e.getMessage());
    }

    private static String abbrev(String body) {
        return body.length() > 60 ? body.substring(0, 60) + "…" : "'" + body + "'";
    }
}
