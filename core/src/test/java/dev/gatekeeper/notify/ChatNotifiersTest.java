package dev.gatekeeper.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.gatekeeper.verify.Backoff;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Slack, Discord and the retry wrapper against WireMock standing in for the chat services. */
class ChatNotifiersTest {
    private static final Alert ALERT = new Alert("critical", "gatekeeper: auto-revert on main did NOT recover",
            "still failing after reverting abc1234", "ev-1", Map.of("branch", "main", "revert", "def5678"));
    private static final Backoff FAST = new Backoff(Duration.ofMillis(10), Duration.ofMillis(20));

    private WireMockServer wm;

    @BeforeEach
    void start() {
        wm = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        wm.start();
    }

    @AfterEach
    void stop() {
        wm.stop();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + wm.port() + path;
    }

    private JsonNode onlyBody(String path) throws IOException {
        var requests = wm.findAll(postRequestedFor(urlEqualTo(path)));
        assertEquals(1, requests.size());
        assertTrue(requests.get(0).getHeader("Content-Type").startsWith("application/json"));
        return new ObjectMapper().readTree(requests.get(0).getBodyAsString());
    }

    @Test
    void slackGetsTextAndBlocks() throws IOException {
        wm.stubFor(post("/services/T0/B0/secret").willReturn(aResponse().withStatus(200).withBody("ok")));
        SlackNotifier n = new SlackNotifier(url("/services/T0/B0/secret"), Duration.ofSeconds(5));
        n.send(ALERT);
        JsonNode body = onlyBody("/services/T0/B0/secret");
        assertTrue(body.path("text").asText().contains("did NOT recover"), body.toString());
        assertEquals("header", body.path("blocks").path(0).path("type").asText());
        assertEquals("*revert*\ndef5678", body.path("blocks").path(2).path("fields").path(1).path("text").asText());
        assertFalse(n.describe().contains("secret"), n.describe());
    }

    @Test
    void discordGetsAnEmbedColouredBySeverity() throws IOException {
        wm.stubFor(post("/api/webhooks/1/tok").willReturn(aResponse().withStatus(204)));
        DiscordNotifier n = new DiscordNotifier(url("/api/webhooks/1/tok"), Duration.ofSeconds(5));
        n.send(ALERT);
        JsonNode embed = onlyBody("/api/webhooks/1/tok").path("embeds").path(0);
        assertEquals(0xD7263D, embed.path("color").asInt());
        assertEquals(ALERT.text(), embed.path("description").asText());
        assertEquals("branch", embed.path("fields").path(0).path("name").asText());
        assertEquals("discord http://127.0.0.1:" + wm.port(), n.describe());
    }

    @Test
    void retriesATransientFailure() throws IOException {
        wm.stubFor(post("/hook").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        wm.stubFor(post("/hook").inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200)));
        new RetryingNotifier(new WebhookNotifier(url("/hook"), Duration.ofSeconds(5)), 3, FAST).send(ALERT);
        wm.verify(2, postRequestedFor(urlEqualTo("/hook")));
    }

    @Test
    void givesUpAfterTheAttemptsAndSaysSo() {
        wm.stubFor(post("/hook").willReturn(aResponse().withStatus(500)));
        RetryingNotifier n = new RetryingNotifier(new SlackNotifier(url("/hook"), Duration.ofSeconds(5)), 3, FAST);
        IOException e = assertThrows(IOException.class, () -> n.send(ALERT));
        assertTrue(e.getMessage().contains("HTTP 500") && e.getMessage().contains("after 3 attempts"),
                e.getMessage());
        wm.verify(3, postRequestedFor(urlEqualTo("/hook")));
    }

    @Test
    void slowEndpointTimesOut() {
        wm.stubFor(post("/slow").willReturn(aResponse().withStatus(200).withFixedDelay(3000)));
        DiscordNotifier n = new DiscordNotifier(url("/slow"), Duration.ofMillis(300));
        long start = System.nanoTime();
        assertThrows(IOException.class, () -> n.send(ALERT));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos());
    }

    @Test
    void targetsReadTheUrlFromTheEnvironment() throws IOException {
        wm.stubFor(post("/x").willReturn(aResponse().withStatus(200)));
        NotifyTarget t = NotifyTarget.parse("slack:SLACK_URL");
        assertEquals("slack", t.kind());
        t.open(Map.of("SLACK_URL", url("/x")), Duration.ofSeconds(2), 1, FAST).send(ALERT);
        wm.verify(1, postRequestedFor(urlEqualTo("/x")));
        IllegalArgumentException unset = assertThrows(IllegalArgumentException.class,
                () -> t.open(Map.of(), Duration.ofSeconds(2), 1, FAST));
        assertTrue(unset.getMessage().contains("$SLACK_URL"), unset.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NotifyTarget.parse("teams:X"));
        assertThrows(IllegalArgumentException.class, () -> NotifyTarget.parse("webhook:https://x"));
    }
}
