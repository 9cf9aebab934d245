package dev.gatekeeper.stabilize;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ResolveMerger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * {@code git revert -m 1} (or a plain revert of a single-parent commit) without a work tree: a three-way merge
 * with base = the reverted commit, ours = the branch tip, theirs = the reverted commit's first parent. JGit's
 * RevertCommand refuses merge commits and needs a checkout; this works in a bare clone, never touches the user's
 * work tree or index, and a conflict leaves nothing behind but unreferenced objects.
 */
public final class MergeRevert {
    /** The merged tree, or the conflicting paths (tree null). */
    public record Outcome(ObjectId tree, List<String> conflicts) {
        public boolean clean() {
            return tree != null;
        }
    }

    private MergeRevert() {}

    /**
     * @param inserter where the merged trees are written; an {@link ObjectInserter.Formatter} computes them
     *                 without writing (dry run)
     */
    public static Outcome tree(Repository repo, ObjectInserter inserter, RevCommit reverted, RevCommit tip)
            throws IOException {
        if (reverted.getParentCount() == 0) {
            throw new IOException("cannot revert " + reverted.name() + ": it is a root commit");
        }
        RevCommit mainline;
        try (RevWalk walk = new RevWalk(repo)) {
            mainline = walk.parseCommit(reverted.getParent(0));
        }
        ResolveMerger merger = (ResolveMerger) MergeStrategy.RESOLVE.newMerger(inserter, repo.getConfig());
        merger.setBase(reverted.getTree());
        if (merger.merge(tip, mainline)) {
            return new Outcome(merger.getResultTreeId(), List.of());
        }
        List<String> conflicts = new ArrayList<>(merger.getUnmergedPaths());
        if (merger.getFailingPaths() != null) {
            merger.getFailingPaths().keySet().stream().filter(p -> !conflicts.contains(p)).forEach(conflicts::add);
        }
        return new Outcome(null, conflicts);
    }

    /** Writes the revert commit on top of {@code tip}; nothing else (no ref moves). */
    public static ObjectId commit(ObjectInserter inserter, ObjectId tree, RevCommit tip, String message,
                                  PersonIdent author, PersonIdent committer) throws IOException {
        CommitBuilder c = new CommitBuilder();
        c.setTreeId(tree);
        c.setParentId(tip);
        c.setAuthor(author);
        c.setCommitter(committer);
        c.setMessage(message);
        ObjectId id = inserter.insert(c);
        inserter.flush();
        return id;
    }
}
