package dev.gatekeeper.verify;

import dev.gatekeeper.events.EventType;
import dev.gatekeeper.ExitCode;

/** What verify-push concluded, the exit code it maps to and the audit event type it writes. */
public enum Verdict implements dev.gatekeeper.outcome.Verdict {
    /** The remote holds what was claimed. */
    VERIFIED(ExitCode.OK, EventType.PUSH_VERIFIED, "verified"),
    /** The remote was read and does not hold what was claimed (or the wrapped agent failed). */
    NOT_VERIFIED(ExitCode.REFUSED, EventType.PUSH_UNVERIFIED, "not-verified"),
    /** The remote could not be read: unreachable, authentication failed, rate-limited past the deadline, timed out. */
    INCONCLUSIVE(ExitCode.INCONCLUSIVE, EventType.PUSH_INCONCLUSIVE, "inconclusive");

    private final ExitCode exitCode;
    private final EventType eventType;
    private final String wire;

    Verdict(ExitCode exitCode, EventType eventType, String wire) {
        this.exitCode = exitCode;
        this.eventType = eventType;
        this.wire = wire;
    }

    @Override
    public ExitCode exitCode() {
        return exitCode;
    }

    public EventType eventType() {
        return eventType;
    }

    /** The name in JSON output and events. */
    @Override
    public String wire() {
        return wire;
    }
}
