package dev.gatekeeper.verify;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Every fact of a verify-push run, for {@code --json}, a Jenkins step's result and the Action's outputs.
 *
 * @param reason   why it is not verified (empty when it is)
 * @param reader   how the remote was read: {@code git}, {@code github}, {@code local}
 * @param mode     {@code exact}, {@code contains}, {@code moved} or {@code wrap}
 * @param expected the commit that had to be there, or null (wrap mode before the agent ran, a baseline only)
 * @param before   the tip before (wrap mode) or the baseline it had to move from, or null
 * @param after    the tip read last, or null when none could be read
 * @param attempts how many reads the verification took
 * @param agent    wrap mode: the agent's command, or null
 * @param event    the audit event written for this run
 * @param auditLog where it was written
 */
public record VerifyPushReport(String reason, String remote, String reader, String ref, String mode, String expected,
        boolean contains, String before, boolean beforeKnown, String after, int attempts, Timings timings,
        Agent agent, String event, Path auditLog) {

    /** When it started, how long each phase took, and every read. */
    public record Timings(Instant started, long totalMs, long beforeMs, long commandMs, long verifyMs,
            List<Read> reads) {}

    /** One read of the remote: in which phase, the how-manieth, when (from the start), how long, what it found. */
    public record Read(String phase, int n, long atMs, long ms, String tip, String error) {}

    /** The wrapped agent: its program, exit code and run time. */
    public record Agent(String program, int exit, long ms) {}

    static VerifyPushReport of(Verification v, String eventId, Path auditLog) {
        return new VerifyPushReport(v.reason(), v.remote(), v.readerKind(), v.ref(),
                v.agent() != null ? "wrap" : v.expectation().mode(), v.expectation().commit(),
                v.expectation().contains(), v.before(), v.beforeKnown(), v.after(), v.verifyAttempts(),
                new Timings(v.started(), v.elapsed().toMillis(), v.phaseMillis("before"),
                        v.agent() == null ? 0 : v.agent().duration().toMillis(), v.phaseMillis("verify"),
                        v.attempts().stream().map(a -> new Read(a.phase(), a.number(), a.atMillis(), a.millis(),
                                a.tip(), a.error())).toList()),
                v.agent() == null ? null : new Agent(v.agent().program(), v.agent().exitCode(),
                        v.agent().duration().toMillis()), eventId, auditLog);
    }
}
