package dev.gatekeeper.watch;

import dev.gatekeeper.events.Incident;
import java.time.Duration;
import java.time.Instant;

/**
 * How one expected job is doing, judged from its heartbeat record alone: a pure function of the record, the
 * config and the clock, so the dead-man's switch can be tested with any clock.
 */
public record JobHealth(WatchConfig.Job job, Status status, String reason, JobRecord record) {

    public enum Status {
        /** ran on time and its last runs worked. */
        OK(true),
        /** has never run, but is not due yet (watch has expected it for less than period + grace). */
        PENDING(true),
        /** no run started within period + grace of the last one. */
        OVERDUE(false),
        /** its last {@code failAfter} runs did not work. */
        FAILING(false),
        /** never ran, and watch has expected it for longer than period + grace. */
        NEVER_RAN(false),
        /** its record cannot be read: whether it runs is unknown. */
        UNREADABLE(false);

        private final boolean healthy;

        Status(boolean healthy) {
            this.healthy = healthy;
        }

        public boolean healthy() {
            return healthy;
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    /**
     * @param found         the job's {@link JobRecord}, the reason it cannot be read (a String), or null
     * @param expectedSince since when watch has expected the job (its first look at this config entry)
     */
    public static JobHealth judge(WatchConfig.Job job, Object found, Instant expectedSince, Instant now) {
        String every = "expected every " + Incident.format(job.period()) + " + " + Incident.format(job.grace())
                + " grace";
        if (found instanceof String error) {
            return new JobHealth(job, Status.UNREADABLE, "its heartbeat record cannot be read: " + error, null);
        }
        JobRecord r = (JobRecord) found;
        if (r == null || r.lastStart() == null) {
            Instant due = expectedSince.plus(job.allowed());
            return now.isAfter(due)
                    ? new JobHealth(job, Status.NEVER_RAN, "never ran (" + every + ", watched since "
                            + expectedSince + ")", r)
                    : new JobHealth(job, Status.PENDING, "has not run yet; due by " + due, r);
        }
        Instant due = r.lastStart().plus(job.allowed());
        if (now.isAfter(due)) {
            boolean unfinished = r.runningPid() != null;
            return new JobHealth(job, Status.OVERDUE, "overdue: last run started " + r.lastStart() + " ("
                    + Incident.format(Duration.between(r.lastStart(), now)) + " ago)"
                    + (unfinished ? " and never finished (pid " + r.runningPid() + ")" : "") + "; " + every, r);
        }
        if (r.consecutiveFailures() >= job.failAfter()) {
            return new JobHealth(job, Status.FAILING, "failing: the last " + r.consecutiveFailures() + " run"
                    + (r.consecutiveFailures() == 1 ? "" : "s") + " did not work; last exit " + r.lastExit()
                    + (r.lastSummary() == null ? "" : ": " + r.lastSummary()), r);
        }
        return new JobHealth(job, Status.OK, "ok: last run started " + r.lastStart() + ", exit " + r.lastExit()
                + (r.runningPid() != null ? " (a run is going on)" : ""), r);
    }
}
