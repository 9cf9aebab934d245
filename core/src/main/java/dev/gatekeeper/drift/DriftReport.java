package dev.gatekeeper.drift;

import java.util.List;

/**
 * What a drift scan found, for {@code --json}, the Jenkins step's report file and the Action's outputs.
 *
 * @param findings   how many findings, over all targets
 * @param heal       whether the scan healed what it could (else each finding says what a heal would do)
 * @param targets    each target scanned, in the order given
 * @param alertsSent the titles of the alerts sent this run
 */
public record DriftReport(int findings, boolean heal, List<TargetReport> targets, List<String> alertsSent) {

    /**
     * One target.
     *
     * @param target    its id ({@code checkout:/srv/app@main})
     * @param unchanged nothing could have changed since the last scan: the last findings were reused
     * @param error     why it could not be scanned, or what could not be told besides its findings
     * @param healed    what {@code heal} did, one line each
     */
    public record TargetReport(String target, Target.Kind kind, TargetResult.Status status, boolean unchanged,
            String error, List<Finding> findings, List<String> healed) {}

    static DriftReport of(DriftScan.Report r) {
        return new DriftReport(r.findingCount(), r.healed(), r.results().stream().map(t -> new TargetReport(t.target().id(),
                t.target().kind(), t.status(), t.skipped(), t.error(), t.findings(), t.healed())).toList(),
                r.alertsSent());
    }

    /** How many targets could not be scanned. */
    public int errors() {
        return (int) targets.stream().filter(t -> t.status() == TargetResult.Status.ERROR).count();
    }
}
