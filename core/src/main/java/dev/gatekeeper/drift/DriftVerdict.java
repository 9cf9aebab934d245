package dev.gatekeeper.drift;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.outcome.Verdict;

/** What a drift scan concluded; the same word in the CLI's JSON, a Jenkins step's result and the Action's output. */
public enum DriftVerdict implements Verdict {
    /** Every target scanned, nothing found (exit 0). */
    CLEAN(ExitCode.OK, "clean"),
    /** Drift found in at least one target (exit 3). */
    DRIFT(ExitCode.REFUSED, "drift"),
    /** No drift found, but a target could not be scanned (exit 4): a read that failed is never a "no". */
    INCONCLUSIVE(ExitCode.INCONCLUSIVE, "inconclusive");

    private final ExitCode exitCode;
    private final String wire;

    DriftVerdict(ExitCode exitCode, String wire) {
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
}
