package dev.gatekeeper.drift;

import java.util.List;

/**
 * What one scan of one target found.
 *
 * @param error    why it could not be scanned (status ERROR), or what it could not tell besides its findings
 *                 (status DRIFT), else null
 * @param skipped  true when nothing could have changed since the last scan and the last findings were reused
 * @param healed   what {@code --heal} did, one line each (empty without {@code --heal})
 * @param fingerprint what the incremental scan compares next time; null when it cannot be skipped
 */
public record TargetResult(Target target, Status status, List<Finding> findings, String error, boolean skipped,
        List<String> healed, String fingerprint) {

    public enum Status { CLEAN, DRIFT, ERROR }

    public TargetResult {
        findings = List.copyOf(findings);
        healed = List.copyOf(healed);
    }

    public static TargetResult of(Target target, List<Finding> findings, String fingerprint) {
        return new TargetResult(target, findings.isEmpty() ? Status.CLEAN : Status.DRIFT, findings, null, false,
                List.of(), fingerprint);
    }

    /**
     * What was found, and what could not be told ({@code unknown}, or null): drift when anything was found (the
     * rest is said in {@code error}), "cannot scan" when nothing was found but something could not be told.
     */
    public static TargetResult partly(Target target, List<Finding> findings, String unknown) {
        if (unknown == null) {
            return of(target, findings, null);
        }
        return new TargetResult(target, findings.isEmpty() ? Status.ERROR : Status.DRIFT, findings, unknown, false,
                List.of(), null);
    }

    public static TargetResult error(Target target, String why) {
        return new TargetResult(target, Status.ERROR, List.of(), why, false, List.of(), null);
    }

    public TargetResult withHealed(List<String> lines) {
        return new TargetResult(target, status, findings, error, skipped, lines, fingerprint);
    }

    public TargetResult asSkipped() {
        return new TargetResult(target, status, findings, error, true, healed, fingerprint);
    }
}
