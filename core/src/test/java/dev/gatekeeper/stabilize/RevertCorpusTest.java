package dev.gatekeeper.stabilize;

import static org.junit.jupiter.api.Assertions.fail;

import dev.gatekeeper.git.GitCli;
import dev.gatekeeper.verify.Git;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The revert invariant over generated histories ({@link HistoryGenerator}): for every (commit, tip) pair, what
 * stabilize's engine decides is what {@code git revert --no-edit [-m 1] COMMIT} does on that tip, run by the real
 * git binary in a scratch clone: the same tree when git reverts cleanly, a conflict when git conflicts, "nothing to
 * revert" when git says "nothing to commit". A pushed tree that differs from git's, or an empty revert, is never
 * allowed; the engine must also not conflict where git is clean.
 *
 * <p>CI runs {@value #DEFAULT_PAIRS} pairs over {@value #DEFAULT_HISTORIES} histories; more with
 * {@code -Dgatekeeper.revertCorpus.pairs=N}, another corpus with {@code -Dgatekeeper.revertCorpus.seed=S}, the
 * method stabilize picks for the git on PATH with {@code -Dgatekeeper.revertCorpus.method=auto}. A failure prints
 * the seed and the pairs, so it reproduces exactly.
 */
class RevertCorpusTest {
    static final int DEFAULT_PAIRS = 300;
    static final int DEFAULT_HISTORIES = 3;
    /** Commits on each history's main line: room for tips up to 500 commits past the reverted commit. */
    static final int MAIN_COMMITS = 620;
    /** Every this many pairs, the fallback method is checked as well. */
    static final int FALLBACK_EVERY = 5;

    @TempDir
    Path tmp;

    /** What one side decided for one pair. */
    record Outcome(String kind, String tree, TreeSet<String> conflicts) {
        static Outcome clean(String tree) {
            return new Outcome("clean", tree, new TreeSet<>());
        }

        static Outcome empty() {
            return new Outcome("empty", null, new TreeSet<>());
        }

        /** Paths git moved aside are named after a side ({@code f~HEAD}); which label is cosmetic. */
        static Outcome conflict(TreeSet<String> paths) {
            TreeSet<String> named = new TreeSet<>();
            paths.forEach(p -> named.add(p.contains("~") ? p.substring(0, p.indexOf('~')) + "~…" : p));
            return new Outcome("conflict", null, named);
        }

        @Override
        public String toString() {
            return kind + (tree != null ? " " + tree : "") + (conflicts.isEmpty() ? "" : " " + conflicts);
        }
    }

    /** Stabilize's engine, as AutoRevert uses it ({@code keep}: clean results move into the repository). */
    static Outcome engine(Repository repo, GitCli git, RevCommit target, RevCommit tip, GitRevert.Method method)
            throws IOException, InterruptedException {
        GitRevert.Outcome o = new GitRevert(repo, git).setMethod(method).revert(target, tip);
        return switch (o.kind()) {
            case CLEAN -> Outcome.clean(o.tree().name());
            case EMPTY -> Outcome.empty();
            case CONFLICT -> Outcome.conflict(new TreeSet<>(o.conflicts()));
        };
    }

    @Test
    void everyRevertIsGitsRevertOrNone() throws Exception {
        long seed = Long.getLong("gatekeeper.revertCorpus.seed", System.nanoTime() % 100_000);
        int pairs = Integer.getInteger("gatekeeper.revertCorpus.pairs", DEFAULT_PAIRS);
        int histories = Math.max(DEFAULT_HISTORIES, pairs / 150);
        // "auto": what stabilize picks for the git on PATH (e.g. PATH=/opt/git-2.30/bin: the worktree fallback)
        String method = System.getProperty("gatekeeper.revertCorpus.method", "merge-tree");
        GitRevert.Method primary = method.equals("auto") ? null : GitRevert.Method.valueOf(method.toUpperCase(
                java.util.Locale.ROOT).replace('-', '_'));
        Git git = new Git(tmp.resolve("home"));
        Random rnd = new Random(seed);
        List<String> problems = new ArrayList<>();
        Map<String, Integer> tally = new TreeMap<>();
        long engineNanos = 0;
        long gitNanos = 0;
        int done = 0;
        for (int h = 0; h < histories; h++) {
            long hseed = rnd.nextLong();
            HistoryGenerator.History history = HistoryGenerator.generate(git, tmp.resolve("h" + h), hseed,
                    MAIN_COMMITS);
            Path scratch = git.clone(history.repo.toString(), tmp.resolve("scratch" + h));
            int n = pairs / histories + (h < pairs % histories ? 1 : 0);
            GitCli cli = new GitCli(git.env(), Duration.ofSeconds(60));
            try (Repository repo = open(history.repo); RevWalk walk = new RevWalk(repo)) {
                for (int i = 0; i < n; i++) {
                    Pair p = pick(history, rnd);
                    RevCommit target = walk.parseCommit(ObjectId.fromString(p.commit));
                    RevCommit tip = walk.parseCommit(ObjectId.fromString(p.tip));
                    long t0 = System.nanoTime();
                    Outcome mine = engine(repo, cli, target, tip, primary);
                    long t1 = System.nanoTime();
                    Outcome gits = gitRevert(git, scratch, p.commit, target.getParentCount() > 1, p.tip);
                    long t2 = System.nanoTime();
                    engineNanos += t1 - t0;
                    gitNanos += t2 - t1;
                    done++;
                    tally.merge("git " + gits.kind(), 1, Integer::sum);
                    check(problems, tally, method, mine, gits, tip, h, hseed, p);
                    if (i % FALLBACK_EVERY == 0) {
                        // the fallback for git < 2.38, forced here: git revert --no-commit in a linked worktree
                        Outcome viaWorktree = engine(repo, cli, target, tip, GitRevert.Method.WORKTREE);
                        check(problems, tally, "worktree", viaWorktree, gits, tip, h, hseed, p);
                    }
                }
            }
        }
        System.out.printf("revert corpus (seed %d): %d pairs, %s; engine (%s) %.1f ms/pair, git revert in a "
                + "scratch clone %.1f ms/pair%n",
                seed, done, tally, method, engineNanos / 1e6 / done, gitNanos / 1e6 / done);
        if (!problems.isEmpty()) {
            fail(problems.size() + " of " + done + " pairs break the revert invariant (seed " + seed + "; rerun with "
                    + "-Dgatekeeper.revertCorpus.seed=" + seed + " -Dgatekeeper.revertCorpus.pairs=" + pairs + "): "
                    + tally + "\n" + String.join("\n", problems.subList(0, Math.min(20, problems.size()))));
        }
    }

    private static void check(List<String> problems, Map<String, Integer> tally, String method, Outcome mine,
                              Outcome gits, RevCommit tip, int h, long hseed, Pair p) {
        String verdict = judge(mine, gits, tip.getTree().name());
        tally.merge(method + " " + verdict, 1, Integer::sum);
        if (!verdict.equals("same")) {
            problems.add(method + ": " + verdict + ": history " + h + " (seed " + hseed + "), revert " + p.commit
                    + " (" + p.kind + ") on " + p.tip + " (" + p.distance + " ahead): engine " + mine + ", git "
                    + gits);
        }
    }

    /**
     * "same" when the engine decided what git did. Otherwise the worst: a pushed tree that is not git's, an empty
     * revert pushed, or a conflict where git reverts cleanly (safe, but a human is paged for nothing).
     */
    static String judge(Outcome mine, Outcome gits, String tipTree) {
        if (mine.kind().equals("clean")) {
            if (mine.tree().equals(tipTree)) {
                return "VIOLATION empty revert pushed";
            }
            if (!gits.kind().equals("clean") || !gits.tree().equals(mine.tree())) {
                return "VIOLATION tree differs from git's";
            }
            return "same";
        }
        if (mine.kind().equals("conflict") && gits.kind().equals("clean")) {
            return "needless conflict";
        }
        return mine.equals(gits) ? "same" : "differs (" + mine.kind() + " vs " + gits.kind() + ")";
    }

    record Pair(String commit, String tip, int distance, String kind) {}

    /**
     * A commit to revert and a tip 0-500 commits after it on main: mostly merges (what stabilize reverts), also
     * plain commits and commits of merged branches (criss-cross merges among them).
     */
    static Pair pick(HistoryGenerator.History h, Random rnd) {
        HistoryGenerator.Commit c;
        int at;
        int roll = rnd.nextInt(100);
        if (roll < 15 && !h.merged.isEmpty()) {
            List<HistoryGenerator.Commit> side = new ArrayList<>(h.merged.keySet());
            side.sort(java.util.Comparator.comparingInt(HistoryGenerator.Commit::mark));
            c = side.get(rnd.nextInt(side.size()));
            at = h.merged.get(c);
        } else {
            do {
                at = 1 + rnd.nextInt(h.main.size() - 1);
                c = h.main.get(at);
            } while (roll < 70 && c.parents() < 2);
        }
        int d = rnd.nextInt(10) < 3 ? 0 : rnd.nextInt(10) < 4 ? 1 + rnd.nextInt(10) : 1 + rnd.nextInt(500);
        int tipAt = Math.min(h.main.size() - 1, at + d);
        return new Pair(h.sha(c), h.sha(h.main.get(tipAt)), tipAt - at, c.kind());
    }

    /** {@code git revert --no-edit [-m 1] COMMIT} on {@code tip} in the scratch clone, as a person would run it. */
    static Outcome gitRevert(Git git, Path scratch, String commit, boolean merge, String tip) throws IOException {
        for (String f : List.of("REVERT_HEAD", "MERGE_MSG", "CHERRY_PICK_HEAD")) {
            Files.deleteIfExists(scratch.resolve(".git").resolve(f));
        }
        git.git(scratch, "checkout", "-q", "-f", "--detach", tip);
        git.git(scratch, "clean", "-q", "-ffdx");
        List<String> cmd = new ArrayList<>(List.of("git", "revert", "--no-edit"));
        if (merge) {
            cmd.addAll(List.of("-m", "1"));
        }
        cmd.add(commit);
        Git.Run r = git.run(scratch, Map.of(), cmd);
        if (r.exit() == 0) {
            return Outcome.clean(git.git(scratch, "rev-parse", "HEAD^{tree}"));
        }
        String unmerged = git.git(scratch, "diff", "--name-only", "--diff-filter=U");
        // some conflicts leave no unmerged path (e.g. "CONFLICT (directory rename split)"), git stops all the same
        if (!unmerged.isEmpty() || r.stdout().contains("CONFLICT (")) {
            return Outcome.conflict(unmerged.isEmpty() ? new TreeSet<>() : new TreeSet<>(List.of(unmerged.split("\n"))));
        }
        if ((r.stdout() + r.stderr()).contains("nothing to commit")) {
            return Outcome.empty();
        }
        throw new AssertionError("git revert " + commit + " on " + tip + " failed without a conflict: " + r.stdout()
                + r.stderr());
    }

    static Repository open(Path dir) throws IOException {
        return new FileRepositoryBuilder().setGitDir(dir.resolve(".git").toFile()).setMustExist(true).build();
    }
}
