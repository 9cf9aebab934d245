package dev.gatekeeper.stabilize;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.outcome.Verdict;

/** What a stabilize run concluded; the same word in the CLI's JSON, a Jenkins step's result and the Action's output. */
public enum StabilizeVerdict implements Verdict {
    /** Every probe passed: nothing done (exit 0). */
    HEALTHY(ExitCode.OK, "healthy"),
    /** A dry run that would have reverted (exit 3); nothing written. */
    WOULD_REVERT(ExitCode.REFUSED, "would-revert"),
    /** Nothing to judge the service by, or errors held as configured: nothing reverted (exit 4). */
    INCONCLUSIVE(ExitCode.INCONCLUSIVE, "inconclusive"),
    /** Reverted, redeployed, and the probes pass again (exit 5). */
    RECOVERED(ExitCode.RECOVERED, "recovered"),
    /**
     * A human must act (exit 6): the revert conflicted, had nothing to revert, was refused by the loop guard, the
     * daily cap or the gate, the deploy failed, or the service still fails. Not all of them acted; all need a person.
     */
    HUMAN_MUST_ACT(ExitCode.ACTION_FAILED, "human-must-act");

    private final ExitCode exitCode;
    private final String wire;

    StabilizeVerdict(ExitCode exitCode, String wire) {
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
