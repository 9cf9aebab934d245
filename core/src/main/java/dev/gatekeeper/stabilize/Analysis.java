package dev.gatekeeper.stabilize;

import java.util.List;

/**
 * The judgement of one sampling run. {@code probe} and {@code reason} name the probe that decided it (the first
 * to fail, or to be inconclusive), {@code tally} the counts behind the verdict; {@code decidedAtNanos} is {@link System#nanoTime()} when the verdict was
 * reached, the start of the "threshold to revert pushed" clock.
 */
public record Analysis(Verdict verdict, String probe, String reason, String tally, int samples, int failures, int errors,
                       List<String> log, long decidedAtNanos) {
    public enum Verdict { HEALTHY, FAILED, INCONCLUSIVE }

    public Analysis {
        log = List.copyOf(log);
    }
}
