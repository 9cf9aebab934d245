package dev.gatekeeper.stabilize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.events.EventType;
import dev.gatekeeper.stabilize.StabilizeDecision.Alert;
import dev.gatekeeper.stabilize.StabilizeDecision.Next;
import dev.gatekeeper.stabilize.StabilizeDecision.Step;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The whole decision table, row by row, and the rules every row keeps. */
class StabilizeDecisionTest {

    @Test
    void afterTheFirstProbes() {
        for (boolean hold : new boolean[] {false, true}) {
            assertEquals(Step.stop(StabilizeVerdict.HEALTHY, EventType.PROBE_OK, "healthy", Alert.NONE),
                    StabilizeDecision.afterProbes(Analysis.Verdict.HEALTHY, hold));
            assertEquals(Step.stop(StabilizeVerdict.INCONCLUSIVE, EventType.PROBE_INCONCLUSIVE, "inconclusive",
                    Alert.WARNING), StabilizeDecision.afterProbes(Analysis.Verdict.INCONCLUSIVE, hold));
            assertEquals(Step.go(Next.REVERT, EventType.PROBE_FAILED, "failed"),
                    StabilizeDecision.afterProbes(Analysis.Verdict.FAILED, hold),
                    "failures past the limit revert whatever holdOnErrors says: a refused connection is a failure");
        }
        assertEquals(Step.go(Next.REVERT, EventType.PROBE_FAILED, "error"),
                StabilizeDecision.afterProbes(Analysis.Verdict.ERROR, false), "errors in a row revert, as Argo aborts");
        assertEquals(Step.stop(StabilizeVerdict.INCONCLUSIVE, EventType.PROBE_INCONCLUSIVE, "held", Alert.WARNING),
                StabilizeDecision.afterProbes(Analysis.Verdict.ERROR, true));
    }

    @Test
    void afterTheRevert() {
        assertEquals(Step.go(Next.REDEPLOY, EventType.REVERT_PUSHED, "pushed"),
                StabilizeDecision.afterRevert(AutoRevert.Status.PUSHED));
        assertEquals(Step.go(Next.REDEPLOY, EventType.REVERT_PUSHED, "resumed"),
                StabilizeDecision.afterRevert(AutoRevert.Status.RESUMED));
        assertEquals(Step.go(Next.REDEPLOY, EventType.REVERT_SKIPPED, "already"),
                StabilizeDecision.afterRevert(AutoRevert.Status.ALREADY_REVERTED),
                "a revert already on the branch still needs the redeploy and the confirmation");
        assertEquals(Step.stop(StabilizeVerdict.WOULD_REVERT, null, null, Alert.NONE),
                StabilizeDecision.afterRevert(AutoRevert.Status.WOULD_PUSH), "a dry run writes and tells nothing");
        assertEquals(human(EventType.REVERT_CONFLICT, "failed"),
                StabilizeDecision.afterRevert(AutoRevert.Status.CONFLICT));
        assertEquals(human(EventType.REVERT_SKIPPED, "nothing-to-revert"),
                StabilizeDecision.afterRevert(AutoRevert.Status.NOTHING_TO_REVERT));
        for (AutoRevert.Status refused : List.of(AutoRevert.Status.LOOP_GUARD, AutoRevert.Status.CAP_REACHED,
                AutoRevert.Status.NOT_ON_BRANCH)) {
            assertEquals(human(EventType.REVERT_SKIPPED, "refused"), StabilizeDecision.afterRevert(refused));
        }
        assertEquals(human(EventType.REVERT_FAILED, "failed"),
                StabilizeDecision.afterRevert(AutoRevert.Status.PUSH_FAILED));
        assertEquals(human(EventType.REVERT_FAILED, "failed"), StabilizeDecision.revertFailed());
    }

    @Test
    void afterTheDeployAndTheSecondProbes() {
        assertEquals(Step.go(Next.CONFIRM, EventType.DEPLOY_RAN, "ok"), StabilizeDecision.afterDeploy(true));
        assertEquals(human(EventType.DEPLOY_FAILED, "failed"), StabilizeDecision.afterDeploy(false));
        assertEquals(Step.stop(StabilizeVerdict.RECOVERED, EventType.RECOVERY_CONFIRMED, "recovered", Alert.WARNING),
                StabilizeDecision.afterConfirm(Analysis.Verdict.HEALTHY));
        for (Analysis.Verdict v : List.of(Analysis.Verdict.FAILED, Analysis.Verdict.ERROR,
                Analysis.Verdict.INCONCLUSIVE)) {
            assertEquals(human(EventType.RECOVERY_FAILED, "failed"), StabilizeDecision.afterConfirm(v),
                    "after a revert, anything but healthy needs a human: " + v);
        }
    }

    /** Rules over every row: a stop has a verdict and nothing else does; every human-must-act is told, critically. */
    @Test
    void everyRowKeepsTheRules() {
        List<Step> rows = new ArrayList<>();
        for (Analysis.Verdict v : Analysis.Verdict.values()) {
            rows.add(StabilizeDecision.afterProbes(v, false));
            rows.add(StabilizeDecision.afterProbes(v, true));
            rows.add(StabilizeDecision.afterConfirm(v));
        }
        for (AutoRevert.Status s : AutoRevert.Status.values()) {
            rows.add(StabilizeDecision.afterRevert(s));
        }
        rows.add(StabilizeDecision.afterDeploy(true));
        rows.add(StabilizeDecision.afterDeploy(false));
        rows.add(StabilizeDecision.revertFailed());
        for (Step s : rows) {
            assertEquals(s.next() == Next.STOP, s.verdict() != null, s::toString);
            if (s.verdict() == StabilizeVerdict.HUMAN_MUST_ACT) {
                assertEquals(Alert.CRITICAL, s.alert(), s::toString);
                assertNotNull(s.event(), "a human-must-act is written down: " + s);
            }
            if (s.verdict() == StabilizeVerdict.WOULD_REVERT) {
                assertNull(s.event());
                assertEquals(Alert.NONE, s.alert());
            }
            if (s.verdict() == StabilizeVerdict.RECOVERED) {
                assertEquals(Alert.WARNING, s.alert(), "a revert happened: people are told");
            }
            if (s.event() != null) {
                assertTrue(s.event().stabilize(), "stabilize's events only: " + s.event());
            }
        }
        assertTrue(rows.stream().filter(s -> s.verdict() == StabilizeVerdict.RECOVERED)
                .allMatch(s -> s.event() == EventType.RECOVERY_CONFIRMED), "only a confirmation is a recovery");
    }

    private static Step human(EventType event, String decision) {
        return Step.stop(StabilizeVerdict.HUMAN_MUST_ACT, event, decision, Alert.CRITICAL);
    }
}
