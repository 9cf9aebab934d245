package dev.gatekeeper.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The rate-limit judgement alone: status, headers and message in, "is it a limit, and until when" out. */
class RateLimitTest {
    private static final Instant NOW = Instant.parse("2024-05-24T14:02:11Z");
    private static final String SECONDARY = "You have exceeded a secondary rate limit. Please wait a few minutes "
            + "before you try again. If you reach out to GitHub Support for help, please include the request ID "
            + "C0DE:1B2C:3D4E5F:6A7B8C9:6650A1F3.";

    private static Optional<RateLimit.Limit> judge(int status, String message, String... headers) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return RateLimit.of(status, h::get, message, NOW, 0);
    }

    private static String date(Instant t) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(t.atZone(ZoneOffset.UTC));
    }

    @Test
    void thePrimaryLimitWaitsForTheResetMeasuredOnGitHubsClock() {
        // GitHub's clock is 10 minutes ahead of ours: the reset is 60 s away for GitHub, so 60 s away for us too
        Instant serverNow = NOW.plusSeconds(600);
        RateLimit.Limit l = judge(403, "API rate limit exceeded for installation ID 4711.",
                "X-RateLimit-Remaining", "0",
                "X-RateLimit-Reset", String.valueOf(serverNow.plusSeconds(60).getEpochSecond()), "Date",
                date(serverNow)).orElseThrow();
        assertTrue(l.primary());
        assertEquals(NOW.plusSeconds(60), l.retryAt());
        assertEquals("x-ratelimit-reset", l.givenBy());
    }

    @Test
    void aSecondaryLimitWithRetryAfterWaitsThatLong() {
        RateLimit.Limit l = judge(403, SECONDARY, "Retry-After", "30").orElseThrow();
        assertFalse(l.primary());
        assertEquals(NOW.plusSeconds(30), l.retryAt());
        RateLimit.Limit dated = judge(429, "", "Retry-After", date(NOW.plusSeconds(600 + 45)), "Date",
                date(NOW.plusSeconds(600))).orElseThrow();
        assertEquals(NOW.plusSeconds(45), dated.retryAt(), "an HTTP date, against GitHub's Date");
    }

    @Test
    void aSecondaryLimitSaidOnlyInTheBodyBacksOffFromOneSecondToAMinute() {
        RateLimit.Limit l = judge(403, SECONDARY, "X-RateLimit-Remaining", "4987").orElseThrow();
        assertFalse(l.primary());
        assertEquals("backoff", l.givenBy());
        assertEquals(NOW.plusSeconds(1), l.retryAt());
        assertTrue(l.why().contains("secondary rate limit (HTTP 403: You have exceeded a secondary rate limit.)"),
                "GitHub's first sentence, not the support boilerplate: " + l.why());
        long[] expected = {1, 2, 4, 8, 16, 32, 60, 60};
        for (int n = 0; n < expected.length; n++) {
            assertEquals(Duration.ofSeconds(expected[n]), RateLimit.backoff(n), "wait number " + (n + 1));
        }
        assertTrue(judge(403, "You have triggered an abuse detection mechanism. Please wait a few minutes before "
                + "you try again.").isPresent(), "the older wording");
        assertTrue(judge(429, "").isPresent(), "429 is always a limit");
        assertTrue(judge(403, "", "gh-limited-by", "search-elapsed-time-shared-grouped").isPresent());
    }

    @Test
    void aRefusalIsNotARateLimit() {
        for (String m : new String[] {"Resource not accessible by integration", "Must have admin rights to Repository.",
            "Bad credentials", "Resource not accessible by personal access token", ""}) {
            assertEquals(Optional.empty(), judge(403, m, "X-RateLimit-Remaining", "4987"), m);
        }
    }

    @Test
    void noOtherStatusIsEverARateLimit() {
        for (int status = 200; status < 600; status++) {
            if (status != 403 && status != 429) {
                assertEquals(Optional.empty(), judge(status, SECONDARY, "X-RateLimit-Remaining", "0",
                        "Retry-After", "5"), "HTTP " + status);
            }
        }
    }
}
