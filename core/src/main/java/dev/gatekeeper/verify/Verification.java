package dev.gatekeeper.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything one verify-push run found out: the verdict and its one-line reason, what was expected, the remote
 * tip before (wrap mode, or the {@code --since} baseline) and after, every read with its timing, and how a wrapped
 * agent command ended.
 *
 * @param before      the tip before: the baseline of {@code --since}, or what wrap mode read before the command;
 *                    null when the branch did not exist or was not read (see {@code beforeKnown})
 * @param beforeKnown whether {@code before} is a fact (wrap mode cannot know it when the first read failed)
 * @param after       the last tip read, null when the branch does not exist or no read succeeded
 * @param agent       the wrapped command's outcome, or null outside wrap mode
 */
public record Verification(
        Verdict verdict,
        String reason,
        String remote,
        String readerKind,
        String ref,
        Expectation expectation,
        String before,
        boolean beforeKnown,
        String after,
        List<Attempt> attempts,
        Instant started,
        Duration elapsed,
        AgentRun agent) {

    public Verification {
        attempts = List.copyOf(attempts);
    }

    /** The reads that judged the claim (wrap mode also reads once before the command). */
    public int verifyAttempts() {
        int n = 0;
        for (Attempt a : attempts) {
            if ("verify".equals(a.phase())) {
                n++;
            }
        }
        return n;
    }

    public long phaseMillis(String phase) {
        long first = -1;
        long end = 0;
        for (Attempt a : attempts) {
            if (phase.equals(a.phase())) {
                if (first < 0) {
                    first = a.atMillis();
                }
                end = a.atMillis() + a.millis();
            }
        }
        return first < 0 ? 0 : end - first;
    }
}
