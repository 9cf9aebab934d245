package dev.gatekeeper.verify;

import java.time.Duration;

/**
 * Capped exponential backoff: {@code initial}, then doubling, never more than {@code max}. No jitter: one
 * verify-push polls one ref, there is no herd of clients to spread out, and fixed waits keep runs reproducible.
 */
public final class Backoff {
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(5));

    private final Duration initial;
    private final Duration max;

    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max");
        }
        this.initial = initial;
        this.max = max;
    }

    /** The wait after failed attempt number {@code attempt} (1-based). */
    public Duration delay(int attempt) {
        long ms = initial.toMillis();
        for (int i = 1; i < attempt && ms < max.toMillis(); i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, max.toMillis()));
    }
}
