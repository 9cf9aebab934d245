package dev.gatekeeper.outcome;

import dev.gatekeeper.ExitCode;

/** The verdict of a run that ended before its command could conclude: bad settings, a bug, an unreachable remote. */
public enum Failure implements Verdict {
    INTERNAL_ERROR(ExitCode.INTERNAL_ERROR, "internal-error"),
    USAGE_ERROR(ExitCode.USAGE, "usage-error"),
    REFUSED(ExitCode.REFUSED, "refused"),
    INCONCLUSIVE(ExitCode.INCONCLUSIVE, "inconclusive"),
    HUMAN_MUST_ACT(ExitCode.ACTION_FAILED, "human-must-act");

    private final ExitCode exitCode;
    private final String wire;

    Failure(ExitCode exitCode, String wire) {
        this.exitCode = exitCode;
        this.wire = wire;
    }

    @Override
    public ExitCode exitCode() {
        return exitCode;
    }

    @Override
    public String wire() {
        return wire;
    }

    /** The failure that exits with {@code code}; a success code from a failure is a bug, so an internal error. */
    public static Failure of(ExitCode code) {
        for (Failure f : values()) {
            if (f.exitCode == code) {
                return f;
            }
        }
        return INTERNAL_ERROR;
    }
}
