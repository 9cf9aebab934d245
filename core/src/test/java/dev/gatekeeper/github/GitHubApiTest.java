package dev.gatekeeper.github;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.gatekeeper.github.GitHubAnswers.answer;
import static dev.gatekeeper.github.GitHubAnswers.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.gatekeeper.verify.RemoteReadException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against worlds it did not build: renamed repositories, other hosts, hostile pages, cut bodies. */
class GitHubApiTest {
    private static final String REPO_JSON = "dev/gatekeeper/verify/github-written/repository.json";
    private WireMockServer server;
    private WireMockServer elsewhere;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        elsewhere = new WireMockServer(options().bindAddress("localhost").dynamicPort());
        elsewhere.start();
    }

    @AfterEach
    void stop() {
        server.stop();
        elsewhere.stop();
    }

    private GitHubApi api() {
        return new GitHubApi(server.baseUrl(), "ghs_installation-token", Duration.ofSeconds(5));
    }

    @Test
    void aRenamedRepositoryIsFollowedWithTheToken() throws Exception {
        // what GitHub answers for the old name of a renamed repository
        server.stubFor(get(urlEqualTo("/repos/acme/old-app")).willReturn(answer(301,
                "{\"message\":\"Moved Permanently\",\"url\":\"" + server.baseUrl() + "/repositories/783221491\","
                        + "\"documentation_url\":\"https://docs.github.com/v3/#http-redirects\"}")
                .withHeader("Location", server.baseUrl() + "/repositories/783221491")));
        server.stubFor(get(urlEqualTo("/repositories/783221491")).willReturn(GitHubAnswers.answerFile(200,
                REPO_JSON)));
        assertEquals("acme/app", api().repository("acme/old-app").get("full_name").asText());
        server.verify(getRequestedFor(urlEqualTo("/repositories/783221491")).withHeader("Authorization",
                equalTo("token ghs_installation-token")));
    }

    @Test
    void aRedirectToAnotherHostNeverCarriesTheToken() throws Exception {
        server.stubFor(get(urlEqualTo("/repos/acme/app")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", elsewhere.baseUrl() + "/repos/acme/app")));
        elsewhere.stubFor(get(urlEqualTo("/repos/acme/app")).willReturn(GitHubAnswers.answerFile(200, REPO_JSON)));
        api().repository("acme/app");
        elsewhere.verify(getRequestedFor(urlEqualTo("/repos/acme/app")).withHeader("Authorization", absent()));
    }

    @Test
    void aNextPageOutsideTheApiIsNotFollowed() {
        server.stubFor(get(urlEqualTo("/repos/acme/app/rules/branches/main")).willReturn(answer(200, "[]")
                .withHeader("Link", "<" + elsewhere.baseUrl() + "/steal?page=2>; rel=\"next\"")));
        RemoteReadException e = assertThrows(RemoteReadException.class,
                () -> api().getAllPages("repos/acme/app/rules/branches/main", "reading the rules"));
        assertEquals(RemoteReadException.Kind.BAD_ANSWER, e.kind());
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
        assertEquals(0, elsewhere.getAllServeEvents().size(), "the token went nowhere else");
    }

    @Test
    void aBodyCutInTransitIsNoAnswerEvenWhenTheStatusIs404() {
        server.stubFor(get(urlEqualTo("/repos/acme/app/git/refs/heads/main"))
                .willReturn(error(404, "Not Found", "https://docs.github.com/rest").withFault(
                        Fault.MALFORMED_RESPONSE_CHUNK)));
        RemoteReadException e = assertThrows(RemoteReadException.class, () -> {
            GitHubApi.Answer a = api().get("repos/acme/app/git/refs/heads/main", "reading refs/heads/main");
            a.json("reading refs/heads/main");
        });
        assertTrue(e.kind().retryable(), e.kind() + ": " + e.getMessage());
    }

    @Test
    void segmentsAreEscapedSoABranchNameCannotChangeTheQuestion() throws Exception {
        server.stubFor(get(urlEqualTo("/repos/acme/app/branches/fix%3Fprotected=false%23x"))
                .willReturn(error(404, "Branch not found", "https://docs.github.com/rest")));
        assertEquals(404, api().get("repos/acme/app/branches/fix?protected=false#x", "reading a branch").status());
    }
}
