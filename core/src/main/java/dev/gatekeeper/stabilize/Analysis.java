package dev.gatekeeper.stabilize;

import java.util.List;

/**
 * The judgement of one sampling run. {@code probe} and {@code reason} name the probe that decided it (the first
 * to fail, or to be inconclusive), {@code tally} the counts behind the verdict; {@code decidedAt} is when the verdict was reached (the injected clock),
 * the start of the "threshold to revert pushed" clock.
 */
public record Analysis(Verdict verdict, String probe, String reason, String tally, int samples, int failures, int errors,
                       List<String> log, java.time.Instant decidedAt) {
    /**
     * As Argo Rollouts' analysis phases: HEALTHY (Successful), FAILED (failures past the limit), ERROR (errors in a
     * row past the limit: the service gives no answer at all; Argo aborts a rollout on it, and so does stabilize
     * unless told to hold), INCONCLUSIVE (nothing to judge by: no measurement succeeded, too few errors to count).
     */
    public enum Verdict { HEALTHY, FAILED, ERROR, INCONCLUSIVE }

    public Analysis {
        log = List.copyOf(log);
    }
}
