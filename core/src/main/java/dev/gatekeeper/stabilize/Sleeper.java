package dev.gatekeeper.stabilize;

import java.time.Duration;

/**
 * How stabilize waits (the settle wait, the interval between samples, the wait after a redeploy). Injected, with a
 * {@link java.time.Clock}, so the logic is tested without waiting: a test's sleeper moves its clock instead.
 */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;

    /** The thread sleeps. */
    Sleeper SYSTEM = d -> {
        if (!d.isZero() && !d.isNegative()) {
            Thread.sleep(d.toMillis());
        }
    };
}
