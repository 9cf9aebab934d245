package dev.gatekeeper.stabilize;

/**
 * One probe result, judged the way Argo Rollouts judges a measurement: {@code OK}, {@code FAILURE} (the service
 * answered and the answer is wrong: a 500, a body that does not match, a command exiting non-zero) or {@code ERROR}
 * (no trustworthy answer: connection refused, timed out, DNS). Only failures prove the service is broken; errors
 * may be the probe's own network.
 */
public record Measurement(Kind kind, String detail, long millis) {
    public enum Kind { OK, FAILURE, ERROR }

    public static Measurement ok(String detail, long millis) {
        return new Measurement(Kind.OK, detail, millis);
    }

    public static Measurement failure(String detail, long millis) {
        return new Measurement(Kind.FAILURE, detail, millis);
    }

    public static Measurement error(String detail, long millis) {
        return new Measurement(Kind.ERROR, detail, millis);
    }
}
