package dev.gatekeeper.stabilize;

import java.time.Duration;

/**
 * How many measurements, how far apart, and when to give up, after Argo Rollouts' analysis: the run fails when
 * failures exceed {@code failureLimit}, and is inconclusive when consecutive errors exceed
 * {@code consecutiveErrorLimit} (Argo's default is 4) or when no measurement at all succeeded.
 */
public record SamplingPlan(int samples, Duration interval, int failureLimit, int consecutiveErrorLimit) {
    public static final SamplingPlan DEFAULT = new SamplingPlan(3, Duration.ofSeconds(5), 0, 4);

    public SamplingPlan {
        if (samples < 1) {
            throw new IllegalArgumentException("--samples must be at least 1");
        }
        if (interval.isNegative()) {
            throw new IllegalArgumentException("--interval must not be negative");
        }
        if (failureLimit < 0 || consecutiveErrorLimit < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
    }
}
