package dev.gatekeeper.verify;

import dev.gatekeeper.ExitCode;

/** What verify-push concluded, the exit code it maps to and the audit event type it writes. */
public enum Verdict {
    /** The remote holds what was claimed. */
    VERIFIED(ExitCode.OK, "push.verified", "verified"),
    /** The remote was read and does not hold what was claimed (or the wrapped agent failed). */
    NOT_VERIFIED(ExitCode.REFUSED, "push.unverified", "not-verified"),
    /** The remote could not be read: unreachable, authentication failed, rate-limited past the deadline, timed out. */
    INCONCLUSIVE(ExitCode.INCONCLUSIVE, "push.inconclusive", "inconclusive");

    private final ExitCode exitCode;
    private final String eventType;
    private final String wire;

    Verdict(ExitCode exitCode, String eventType, String wire) {
        this.exitCode = exitCode;
        this.eventType = eventType;
        this.wire = wire;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    public String eventType() {
        return eventType;
    }

    /** The name in JSON output and events. */
    public String wire() {
        return wire;
    }
}
