package dev.gatekeeper.jenkins;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.gatekeeper.jenkins.stubs.StubCredentials;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * verify-push through the GitHub REST API with a token from credentials, against answers recorded from
 * api.github.com (core's test resources): the token reaches the API as the Authorization header and nowhere else.
 */
class VerifyPushGitHubTest {
    private static final String ROOT = "dev/gatekeeper/verify/github";
    private static final String REPO = "hub4j-test-org/github-api";
    private static final String GH_PAGES = "4e64a0f9c3d561ab8587d2f7b03074b8745b5943";
    private static final String TOKEN = "ghp_test-token";

    @TempDir
    Path tmp;
    WireMockServer github;

    @BeforeEach
    void start() throws Exception {
        StubCredentials.clear();
        github = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().usingFilesUnderClasspath(ROOT));
        github.start();
        for (String name : new String[] {"repository.json", "ref-gh-pages.json"}) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(ROOT + "/stubs/" + name)) {
                github.addStubMapping(StubMapping.buildFrom(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
    }

    @AfterEach
    void stop() {
        github.stop();
        StubCredentials.clear();
    }

    @Test
    void theTokenFromCredentialsReadsTheBranchThroughTheApi() throws Exception {
        StubCredentials.put("github-token", TOKEN);
        Repos repos = new Repos(tmp);
        VerifyPushStep step = new VerifyPushStep("gh-pages");
        step.setGithub(REPO);
        step.setGithubApiUrl(github.baseUrl());
        step.setGithubCredentialsId("github-token");
        step.setExpect(GH_PAGES);
        step.setTimeout("5s");
        FakeStepContext ctx = repos.context();

        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) ctx.run(step);

        assertEquals("verified", r.get("verdict"), ctx.log());
        assertEquals(GH_PAGES, r.get("remoteSha"));
        github.verify(getRequestedFor(urlEqualTo("/repos/" + REPO + "/git/refs/heads/gh-pages"))
                .withHeader("Authorization", equalTo("token " + TOKEN)));
        assertFalse(ctx.log().contains(TOKEN), ctx.log());
    }
}
