package dev.gatekeeper.stabilize;

import java.nio.file.Path;
import java.util.List;

/**
 * What a stabilize run found and did, for {@code --json}, a Jenkins step's result and the Action's outputs. Fields
 * that did not apply to the run are null (a healthy run has no revert).
 *
 * @param run                the run's id (every event of the run carries it)
 * @param ref                the branch, as a full ref
 * @param commit             the merged commit judged
 * @param probe              the first analysis
 * @param failure            why the probes failed
 * @param revertStatus       what the revert came to
 * @param revert             the revert commit (pushed, or found already on the branch)
 * @param branchTip          the branch tip the revert sits on
 * @param revertMs           how long computing the revert took
 * @param revertMethod       how it was computed
 * @param wouldRevertMessage a dry run's revert commit message
 * @param wouldDeploy        a dry run's deploy command
 * @param conflicts          the paths a conflicting revert stopped at
 * @param command            the command a person runs to revert by hand
 * @param pushRefusal        every {@code remote:} line of a refused push
 * @param thresholdToPushMs  from the failing verdict to the revert pushed
 * @param deployExit         the redeploy's exit code
 * @param afterRevert        the analysis after the redeploy
 * @param auditLog           where the run's events went
 */
public record StabilizeReport(String run, String ref, String commit, boolean dryRun, Analysis.Verdict probe,
        String failure, AutoRevert.Status revertStatus, String revert, String branchTip, Long revertMs,
        GitRevert.Method revertMethod, String wouldRevertMessage, String wouldDeploy, List<String> conflicts,
        String command, List<String> pushRefusal, Long thresholdToPushMs, Integer deployExit,
        Analysis.Verdict afterRevert, Path auditLog) {
}
