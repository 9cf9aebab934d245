package dev.gatekeeper.stabilize;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * What the branch's own history says about automatic reverts. The history is the record that survives a crashed
 * run, a lost audit log and a different machine, so idempotence and the daily cap are counted from it: the
 * {@code Gatekeeper-Reverts:} trailer of each revert commit.
 */
public final class RevertHistory {
    public static final String TRAILER = "Gatekeeper-Reverts";
    public static final String EVENT_TRAILER = "Gatekeeper-Event";
    private static final Pattern REVERTS = Pattern.compile("(?m)^" + TRAILER + ":\\s*([0-9a-f]{40,64})\\s*$");

    private RevertHistory() {}

    /** The commit a Gatekeeper revert reverts, from its trailer. */
    public static Optional<String> revertedBy(String message) {
        Matcher m = REVERTS.matcher(message);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return Optional.ofNullable(last);
    }

    /**
     * Why {@code commit} must not be auto-reverted, or empty: it is a Gatekeeper revert, or git's "Revert" of one
     * (reverting those would make two automations fight over the branch).
     */
    public static Optional<String> loopGuard(RevCommit commit) {
        String msg = commit.getFullMessage();
        if (revertedBy(msg).isPresent()) {
            return Optional.of("it is an automatic revert itself (" + TRAILER + " trailer)");
        }
        if (msg.startsWith("Revert \"Auto-revert:") || msg.startsWith("Revert \"Revert ")) {
            return Optional.of("it reverts a revert (\"" + commit.getShortMessage() + "\")");
        }
        return Optional.empty();
    }

    /**
     * The revert of {@code reverted} already on the branch: a commit reachable from {@code tip} but not from
     * {@code reverted} (so only commits after the merge are read) carrying the trailer.
     */
    public static Optional<RevCommit> existingRevert(Repository repo, ObjectId tip, ObjectId reverted)
            throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            walk.markStart(walk.parseCommit(tip));
            walk.markUninteresting(walk.parseCommit(reverted));
            String sha = reverted.name();
            for (RevCommit c : walk) {
                if (revertedBy(c.getFullMessage()).filter(sha::equals).isPresent()) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }
    }

    /** Whether {@code commit} is in the history of {@code tip}. */
    public static boolean contains(Repository repo, ObjectId tip, ObjectId commit) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            return walk.isMergedInto(walk.parseCommit(commit), walk.parseCommit(tip));
        }
    }

    /**
     * Gatekeeper reverts on the branch committed at or after {@code since}. Walks newest first by commit time and
     * stops at the first commit a day older than {@code since} (clock skew slack), so a long history costs nothing.
     */
    public static int countSince(Repository repo, ObjectId tip, Instant since) throws IOException {
        long stopAt = since.getEpochSecond() - 86_400;
        int n = 0;
        try (RevWalk walk = new RevWalk(repo)) {
            walk.sort(RevSort.COMMIT_TIME_DESC);
            walk.markStart(walk.parseCommit(tip));
            for (RevCommit c : walk) {
                if (c.getCommitTime() < stopAt) {
                    break;
                }
                if (c.getCommitTime() >= since.getEpochSecond() && revertedBy(c.getFullMessage()).isPresent()) {
                    n++;
                }
            }
        }
        return n;
    }
}
