package dev.gatekeeper.github;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Whether a refusal from GitHub is a rate limit, and when to ask again: a pure judgement over the status, the
 * headers and the message, apart from the reading.
 *
 * <p>GitHub signals limits three ways (docs: "Rate limits for the REST API"): the primary limit with
 * {@code x-ratelimit-remaining: 0} and {@code x-ratelimit-reset}; a secondary limit with {@code Retry-After}
 * (or {@code gh-limited-by}); and a secondary limit said only in the body of a 403 or 429 ("You have exceeded a
 * secondary rate limit", older servers "abuse detection mechanism"), with no header at all. The last one must not
 * read as "the token lacks access": it passes if one waits.
 */
public final class RateLimit {
    /** The first wait after a secondary limit that gave no time; it doubles for each one in a row. */
    static final Duration SECONDARY_FIRST_WAIT = Duration.ofSeconds(1);
    /** GitHub asks for "at least one minute" when it gives no time; we never wait longer than that at once. */
    static final Duration SECONDARY_MAX_WAIT = Duration.ofSeconds(60);
    private static final Pattern SAID_IN_THE_BODY = Pattern.compile(
            "(?i)secondary rate limit|abuse detection|rate limit exceeded|too many requests");

    /**
     * @param primary  the hourly quota is spent (else a secondary limit)
     * @param retryAt  when to ask again
     * @param givenBy  what said when: {@code Retry-After}, {@code x-ratelimit-reset} or our own backoff
     * @param why      one line: which limit, GitHub's status and message
     */
    public record Limit(boolean primary, Instant retryAt, String givenBy, String why) {}

    private RateLimit() {}

    /**
     * @param header          a response header by name (case-insensitive), null when absent
     * @param message         GitHub's {@code message}, or "" when the body had none
     * @param secondaryInARow how many secondary limits without a time came in a row before this one
     */
    public static Optional<Limit> of(int status, Function<String, String> header, String message, Instant now,
            int secondaryInARow) {
        if (status != 403 && status != 429) {
            return Optional.empty();
        }
        String said = message == null || message.isBlank() ? "" : ": " + oneLine(message);
        Instant serverNow = serverNow(header.apply("Date"), now);
        if ("0".equals(trim(header.apply("X-RateLimit-Remaining")))) {
            Instant at = retryAfter(header.apply("Retry-After"), now, serverNow);
            if (at != null) {
                return Optional.of(new Limit(true, at, "Retry-After", "primary rate limit spent (HTTP " + status
                        + said + ")"));
            }
            at = reset(header.apply("X-RateLimit-Reset"), now, serverNow);
            return Optional.of(new Limit(true, at == null ? now.plus(SECONDARY_MAX_WAIT) : at,
                    at == null ? "GitHub's advice (a minute)" : "x-ratelimit-reset",
                    "primary rate limit spent (HTTP " + status + said + ")"));
        }
        boolean secondary = status == 429 || header.apply("Retry-After") != null
                || header.apply("gh-limited-by") != null || SAID_IN_THE_BODY.matcher(message).find();
        if (!secondary) {
            return Optional.empty();
        }
        String why = "secondary rate limit (HTTP " + status + said + ")";
        Instant at = retryAfter(header.apply("Retry-After"), now, serverNow);
        if (at != null) {
            return Optional.of(new Limit(false, at, "Retry-After", why));
        }
        return Optional.of(new Limit(false, now.plus(backoff(secondaryInARow)), "backoff", why));
    }

    /** 1 s, 2 s, 4 s … for the n-th secondary limit in a row (0-based) that gave no time, at most a minute. */
    static Duration backoff(int inARow) {
        long ms = SECONDARY_FIRST_WAIT.toMillis();
        for (int i = 0; i < inARow && ms < SECONDARY_MAX_WAIT.toMillis(); i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, SECONDARY_MAX_WAIT.toMillis()));
    }

    /** {@code Retry-After} in seconds or as an HTTP date (measured against the answer's {@code Date}). */
    private static Instant retryAfter(String value, Instant now, Instant serverNow) {
        if (value == null) {
            return null;
        }
        try {
            return now.plusSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return now.plus(nonNegative(Duration.between(serverNow, at)));
            } catch (DateTimeParseException ignored) {
                return null;
            }
        }
    }

    /** {@code x-ratelimit-reset} (epoch seconds) against the answer's {@code Date}: our clock's skew does not count. */
    private static Instant reset(String value, Instant now, Instant serverNow) {
        if (value == null) {
            return null;
        }
        try {
            Instant at = Instant.ofEpochSecond(Long.parseLong(value.trim()));
            return now.plus(nonNegative(Duration.between(serverNow, at)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant serverNow(String date, Instant now) {
        if (date != null) {
            try {
                return ZonedDateTime.parse(date.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException ignored) {
                // keep our clock
            }
        }
        return now;
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }

    /**
     * GitHub's message on one line: its first sentence when a long one goes on ("… secondary rate limit. Please
     * wait a few minutes … include the request ID …"), at most 200 characters.
     */
    static String oneLine(String message) {
        String s = message.replaceAll("\\s+", " ").trim();
        int sentence = s.indexOf(". ");
        if (s.length() > 80 && sentence > 0 && sentence < 200) {
            return s.substring(0, sentence + 1);
        }
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
