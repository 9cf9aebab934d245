package dev.gatekeeper.drift;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Branch protection read from WireMock serving GitHub's recorded answers (resources/…/drift/github). */
class GitHubScannerTest {
    private static final String REPO = "hub4j-test-org/temp-testEnableBranchProtections";
    private WireMockServer server;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
                .usingFilesUnderClasspath("dev/gatekeeper/drift/github"));
        server.start();
        server.stubFor(get(urlEqualTo("/repos/" + REPO)).willReturn(json("repository.json")));
        server.stubFor(get(urlEqualTo("/repos/" + REPO + "/branches/main")).willReturn(json("branch-main.json")));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    /** A recorded body, with GitHub's own URLs in it pointing at WireMock (github-api follows them). */
    private com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String file) {
        String body;
        try (var in = getClass().getClassLoader().getResourceAsStream("dev/gatekeeper/drift/github/__files/" + file)) {
            body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody(body.replace("https://api.github.com", server.baseUrl()));
    }

    /** The recorded weakened protection, also requiring {@code extra} checks (any source). */
    private com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder weakenedRequiring(String... extra) {
        StringBuilder contexts = new StringBuilder();
        StringBuilder checks = new StringBuilder();
        for (String c : extra) {
            contexts.append('"').append(c).append("\", ");
            checks.append("{\"context\": \"").append(c).append("\", \"app_id\": null}, ");
        }
        String body = json("protection-weakened.json").build().getBody();
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody(body.replaceFirst("\"contexts\": \\[", "\"contexts\": [" + contexts)
                        .replaceFirst("\"checks\": \\[", "\"checks\": [" + checks));
    }

    @Test
    void aSecondRequiredCheckRemovedIsNewDriftAndAlertsAgain() {
        Target t = Target.github(REPO, "main", new Target.ProtectionBaseline(
                List.of("test-status-check", "deploy-gate", "lint"), 2, true, true, true, false));
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        server.stubFor(get(urlEqualTo("/repos/" + REPO + "/branches/main/protection"))
                .willReturn(weakenedRequiring("lint")));
        TargetResult first = scan(t);
        assertEquals(1, first.findings().size(), first.findings().toString());
        assertEquals("critical", Alerts.decide(first, null, now).severity());
        DriftState.TargetState told = new DriftState.TargetState(null, first.findings(), null,
                first.findings().stream().map(Finding::key).toList(), now.toString());

        server.stubFor(get(urlEqualTo("/repos/" + REPO + "/branches/main/protection"))
                .willReturn(weakenedRequiring()));
        TargetResult second = scan(t);
        assertEquals(2, second.findings().stream().map(Finding::key).distinct().count(),
                "each removed check is its own drift: " + second.findings());
        var alert = Alerts.decide(second, told, now.plus(Duration.ofHours(1)));
        assertTrue(alert != null && alert.severity().equals("critical"), "lint's removal is news within the day");
    }

    private TargetResult scan(Target t) {
        return GitHubScanner.scan(t, server.baseUrl(), "ghp_test", Duration.ofSeconds(5));
    }

    @Test
    void protectionWeakerThanTheBaselineIsDrift() {
        server.stubFor(get(urlEqualTo("/repos/" + REPO + "/branches/main/protection"))
                .willReturn(json("protection-weakened.json")));
        TargetResult r = scan(Target.github(REPO, "main", new Target.ProtectionBaseline(
                List.of("test-status-check", "deploy-gate"), 3, true, false, false, false)));
        assertEquals(TargetResult.Status.DRIFT, r.status());
        List<String> subjects = r.findings().stream().map(Finding::subject).toList();
        assertEquals(List.of("required_status_checks/deploy-gate", "required_pull_request_reviews", "allow_force_pushes",
                "allow_deletions"), subjects);
        assertTrue(r.findings().get(0).detail().contains("deploy-gate"));

        TargetResult lax = scan(Target.github(REPO, "main", new Target.ProtectionBaseline(
                List.of("test-status-check"), 2, true, true, true, false)));
        assertEquals(TargetResult.Status.CLEAN, lax.status(), lax.findings().toString());
    }

    @Test
    void rulesetsCountTooTheStricterWins() {
        server.stubFor(get(urlEqualTo("/repos/" + REPO + "/branches/main/protection"))
                .willReturn(json("protection-weakened.json")));
        server.stubFor(get(urlEqualTo("/repos/" + REPO + "/rules/branches/main")).willReturn(json("rules-main.json")));
        TargetResult r = scan(Target.github(REPO, "main", new Target.ProtectionBaseline(
                List.of("test-status-check"), 2, true, false, false, false)));
        assertEquals(TargetResult.Status.CLEAN, r.status(), "the ruleset blocks force-pushes and deletion: "
                + r.findings());
    }

    @Test
    void aRulesetAloneIsProtectionAndNeitherIsDrift() {
        server.stubFor(get(urlEqualTo("/repos/" + REPO + "/branches/main/protection")).willReturn(aResponse()
                .withStatus(404).withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"Branch not protected\",\"documentation_url\":\"https://docs.github.com\"}")));
        server.stubFor(get(urlEqualTo("/repos/" + REPO + "/rules/branches/main")).willReturn(json("rules-main.json")));
        TargetResult r = scan(Target.github(REPO, "main", null));
        assertEquals(TargetResult.Status.CLEAN, r.status(), r.findings().toString());
        TargetResult stricter = scan(Target.github(REPO, "main", new Target.ProtectionBaseline(List.of("build"), 2,
                true, false, false, true)));
        assertEquals(List.of("required_status_checks/build", "required_pull_request_reviews", "required_signatures"),
                stricter.findings().stream().map(Finding::subject).toList());

        server.stubFor(get(urlEqualTo("/repos/" + REPO + "/rules/branches/main")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody("[]")));
        TargetResult none = scan(Target.github(REPO, "main", null));
        assertEquals(Finding.Kind.PROTECTION, none.findings().get(0).kind());
        assertTrue(none.findings().get(0).detail().contains("no protection"));
    }

    @Test
    void aMissingRepositoryCannotBeScanned() {
        server.stubFor(get(urlEqualTo("/repos/acme/gone")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest\"}")));
        TargetResult r = scan(Target.github("acme/gone", "main", null));
        assertEquals(TargetResult.Status.ERROR, r.status());
        assertTrue(r.error().contains("no repository acme/gone"), r.error());
    }

    @Test
    void aRateLimitFailsThisTargetAtOnce() {
        long reset = Instant.now().plusSeconds(3600).getEpochSecond();
        server.stubFor(get(urlEqualTo("/repos/" + REPO + "/branches/main/protection")).willReturn(aResponse()
                .withStatus(403).withHeader("Content-Type", "application/json; charset=utf-8")
                .withHeader("X-RateLimit-Limit", "5000").withHeader("X-RateLimit-Remaining", "0")
                .withHeader("X-RateLimit-Reset", String.valueOf(reset))
                .withBody("{\"message\":\"API rate limit exceeded\",\"documentation_url\":\"https://docs.github.com\"}")));
        long start = System.nanoTime();
        TargetResult r = scan(Target.github(REPO, "main", null));
        assertEquals(TargetResult.Status.ERROR, r.status());
        assertTrue(r.error().contains("rate limit"), r.error());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "does not wait for the reset");
    }
}
