package dev.gatekeeper.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * GitHub REST answers as GitHub sends them, for WireMock: the headers every answer of api.github.com carries
 * (recorded shapes, see {@code shared/fixtures/github-api}), a body from our own fixture files, and the rate
 * limit far from spent unless a test says otherwise. Shared by the verify-push and drift tests.
 */
public final class GitHubAnswers {
    private static final AtomicInteger REQUEST_IDS = new AtomicInteger(0xC0DE);

    private GitHubAnswers() {}

    /** A fixture file from the test classpath, e.g. {@code dev/gatekeeper/drift/github-written/branch.json}. */
    public static String file(String resource) {
        try (InputStream in = GitHubAnswers.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An answer with GitHub's headers and this JSON body. */
    public static ResponseDefinitionBuilder answer(int status, String body) {
        long reset = Instant.now().plusSeconds(3600).getEpochSecond();
        return aResponse().withStatus(status)
                .withHeader("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.now().atZone(ZoneOffset.UTC)))
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withHeader("Server", "GitHub.com")
                .withHeader("X-GitHub-Media-Type", "github.v3; format=json")
                .withHeader("X-GitHub-Api-Version-Selected", "2022-11-28")
                .withHeader("X-RateLimit-Limit", "5000")
                .withHeader("X-RateLimit-Remaining", "4987")
                .withHeader("X-RateLimit-Reset", String.valueOf(reset))
                .withHeader("X-RateLimit-Used", "13")
                .withHeader("X-RateLimit-Resource", "core")
                .withHeader("Access-Control-Expose-Headers", "ETag, Link, Location, Retry-After, X-GitHub-OTP, "
                        + "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, "
                        + "X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, "
                        + "X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset")
                .withHeader("X-GitHub-Request-Id", String.format("%04X:1B2C:%06X:%07X:6650A1F3",
                        REQUEST_IDS.incrementAndGet(), REQUEST_IDS.get() * 7, REQUEST_IDS.get() * 13))
                .withBody(body);
    }

    /** {@code answer(status, file(resource))}. */
    public static ResponseDefinitionBuilder answerFile(int status, String resource) {
        return answer(status, file(resource));
    }

    /** GitHub's error shape: {@code {"message": …, "documentation_url": …, "status": "404"}}. */
    public static ResponseDefinitionBuilder error(int status, String message, String documentationUrl) {
        return answer(status, "{\"message\":\"" + message + "\",\"documentation_url\":\"" + documentationUrl
                + "\",\"status\":\"" + status + "\"}");
    }

    /**
     * A secondary rate limit as GitHub also sends it: 403, the limit named only in the body, no {@code Retry-After},
     * and the primary limit not spent.
     */
    public static ResponseDefinitionBuilder secondaryRateLimitInTheBodyOnly() {
        return error(403, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
                + "If you reach out to GitHub Support for help, please include the request ID "
                + "C0DE:1B2C:3D4E5F:6A7B8C9:6650A1F3 and timestamp 2024-05-24 14:02:11 UTC.",
                "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api"
                        + "#about-secondary-rate-limits");
    }

    /** What {@code GET /user} answers an App installation token. */
    public static ResponseDefinitionBuilder userRefusedToAnInstallationToken() {
        return error(403, "Resource not accessible by integration",
                "https://docs.github.com/rest/users/users#get-the-authenticated-user");
    }
}
