package dev.gatekeeper.stabilize;

import dev.gatekeeper.events.EventType;

/**
 * The judging half of stabilize, apart from the measuring (probes, git, the deploy), as Argo Rollouts judges an
 * analysis: a pure function from what each phase came to, to what happens next, which event records it and whom
 * to tell. {@code StabilizeDecisionTest} walks the whole table.
 *
 * <p>Phases: the probes after the settle wait; the revert; the redeploy; the probes again.
 */
public final class StabilizeDecision {
    private StabilizeDecision() {}

    /** What the run does after a phase. */
    public enum Next {
        /** The run ends with {@link Step#verdict()}. */
        STOP,
        /** Revert the merge. */
        REVERT,
        /** Run the deploy command (or, without one, go straight to confirming). */
        REDEPLOY,
        /** Wait, then probe again. */
        CONFIRM
    }

    /** Whom the phase's outcome is told to: nobody, or the notifications at a severity. */
    public enum Alert {
        NONE, WARNING, CRITICAL;

        /** The severity word of an {@link dev.gatekeeper.notify.Alert}. */
        public String severity() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One decision.
     *
     * @param verdict  the run's verdict when {@code next} is STOP, else null
     * @param event    the event that records the phase, or null when nothing is written (a dry run's revert)
     * @param decision the event's decision word
     */
    public record Step(Next next, StabilizeVerdict verdict, EventType event, String decision, Alert alert) {
        static Step stop(StabilizeVerdict v, EventType event, String decision, Alert alert) {
            return new Step(Next.STOP, v, event, decision, alert);
        }

        static Step go(Next next, EventType event, String decision) {
            return new Step(next, null, event, decision, Alert.NONE);
        }
    }

    /**
     * After the first probes: healthy stops (nothing to do); failures past the limit, and errors in a row past it,
     * revert (as Argo aborts on Failed and on Error) unless errors are to hold; nothing to judge by stops,
     * inconclusive.
     */
    public static Step afterProbes(Analysis.Verdict v, boolean holdOnErrors) {
        return switch (v) {
            case HEALTHY -> Step.stop(StabilizeVerdict.HEALTHY, EventType.PROBE_OK, "healthy", Alert.NONE);
            case INCONCLUSIVE -> Step.stop(StabilizeVerdict.INCONCLUSIVE, EventType.PROBE_INCONCLUSIVE,
                    "inconclusive", Alert.WARNING);
            case ERROR -> holdOnErrors
                    ? Step.stop(StabilizeVerdict.INCONCLUSIVE, EventType.PROBE_INCONCLUSIVE, "held", Alert.WARNING)
                    : Step.go(Next.REVERT, EventType.PROBE_FAILED, "error");
            case FAILED -> Step.go(Next.REVERT, EventType.PROBE_FAILED, "failed");
        };
    }

    /**
     * After the revert: pushed (or resumed, or already on the branch) goes on to the redeploy; a dry run stops where
     * it would have pushed; everything else stops for a human (conflict, nothing to revert, the loop guard, the
     * daily cap, not on the branch, a refused push).
     */
    public static Step afterRevert(AutoRevert.Status s) {
        return switch (s) {
            case PUSHED -> Step.go(Next.REDEPLOY, EventType.REVERT_PUSHED, "pushed");
            case RESUMED -> Step.go(Next.REDEPLOY, EventType.REVERT_PUSHED, "resumed");
            case ALREADY_REVERTED -> Step.go(Next.REDEPLOY, EventType.REVERT_SKIPPED, "already");
            case WOULD_PUSH -> Step.stop(StabilizeVerdict.WOULD_REVERT, null, null, Alert.NONE);
            case CONFLICT -> human(EventType.REVERT_CONFLICT, "failed");
            case NOTHING_TO_REVERT -> human(EventType.REVERT_SKIPPED, "nothing-to-revert");
            case LOOP_GUARD, CAP_REACHED, NOT_ON_BRANCH -> human(EventType.REVERT_SKIPPED, "refused");
            case PUSH_FAILED -> human(EventType.REVERT_FAILED, "failed");
        };
    }

    /** The revert could not even be tried (the clone unreadable, the fetch failed): a human must act. */
    public static Step revertFailed() {
        return human(EventType.REVERT_FAILED, "failed");
    }

    /** After the deploy command: a failed deploy leaves a reverted branch undeployed, for a human. */
    public static Step afterDeploy(boolean ok) {
        return ok ? Step.go(Next.CONFIRM, EventType.DEPLOY_RAN, "ok") : human(EventType.DEPLOY_FAILED, "failed");
    }

    /** After the probes again: healthy is recovered (and said: a revert happened); anything else needs a human. */
    public static Step afterConfirm(Analysis.Verdict v) {
        return v == Analysis.Verdict.HEALTHY
                ? Step.stop(StabilizeVerdict.RECOVERED, EventType.RECOVERY_CONFIRMED, "recovered", Alert.WARNING)
                : human(EventType.RECOVERY_FAILED, "failed");
    }

    private static Step human(EventType event, String decision) {
        return Step.stop(StabilizeVerdict.HUMAN_MUST_ACT, event, decision, Alert.CRITICAL);
    }
}
