package dev.gatekeeper.stabilize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reverts on real repositories, checked against what the git CLI does and says. */
class AutoRevertTest {
    @TempDir
    Path tmp;

    @Test
    void mergeRevertHasTheTreeOfGitRevertM1() throws Exception {
        Branches b = new Branches(tmp);
        String merge = b.merge("feature", "app.conf", "mode=broken\nport=8080\n");
        try (Repository repo = b.open()) {
            AutoRevert.Result r = b.revert(repo, merge).call();
            assertEquals(AutoRevert.Status.PUSHED, r.status(), r.reason());
            assertEquals(r.revert(), b.serverMain(), "the revert is main on the server");
            assertEquals(b.gitRevertTree(tmp, merge, merge), b.tree(b.server, r.revert()));
            String msg = b.git.git(b.server, "log", "-1", "--format=%B", "main");
            assertTrue(msg.startsWith("Auto-revert: http GET http://127.0.0.1:1/health failed: HTTP 500\n"), msg);
            assertEquals(merge, b.git.git(b.server, "log", "-1", "--format=%(trailers:key=Gatekeeper-Reverts,"
                    + "valueonly)", "main"));
            assertEquals("ev-test", b.git.git(b.server, "log", "-1", "--format=%(trailers:key=Gatekeeper-Event,"
                    + "valueonly)", "main"));
            assertEquals(merge, b.git.git(b.server, "rev-parse", "main^"), "a plain commit on top, no rewrite");
            assertNull(repo.exactRef(AutoRevert.PENDING_PREFIX + merge), "the pending record is gone once pushed");
        }
    }

    @Test
    void singleCommitRevertHasTheTreeOfGitRevert() throws Exception {
        Branches b = new Branches(tmp);
        String c = b.commit("lib/util.txt", "one\nTWO\nthree\n", "shout two");
        try (Repository repo = b.open()) {
            AutoRevert.Result r = b.revert(repo, c).call();
            assertEquals(AutoRevert.Status.PUSHED, r.status(), r.reason());
            assertEquals(b.gitRevertTree(tmp, c, c), b.tree(b.server, r.revert()));
        }
    }

    @Test
    void branchMovedOnRevertsOnTheNewTip() throws Exception {
        Branches b = new Branches(tmp);
        String merge = b.merge("feature", "app.conf", "mode=broken\nport=8080\n");
        String moved = b.pushFromElsewhere(tmp, "lib/util.txt", "one\ntwo\nthree\nfour\n");
        try (Repository repo = b.open()) {
            AutoRevert.Result r = b.revert(repo, merge).call();
            assertEquals(AutoRevert.Status.PUSHED, r.status(), r.reason());
            assertEquals(moved, r.tip());
            assertEquals(moved, b.git.git(b.server, "rev-parse", "main^"), "on top of the colleague's commit");
            assertEquals(b.gitRevertTree(tmp, merge, moved), b.tree(b.server, "main"));
            assertTrue(b.git.git(b.server, "show", "main:lib/util.txt").endsWith("four"), "their change kept");
            assertEquals(merge, b.head(), "the user's local branch is not moved");
        }
    }

    @Test
    void aLostRaceIsFetchedAndRevertedAgainOnTheWinnersTip() throws Exception {
        Branches b = new Branches(tmp);
        String merge = b.merge("feature", "app.conf", "mode=broken\nport=8080\n");
        String[] winner = new String[1];
        try (Repository repo = b.open()) {
            AutoRevert.Result r = b.revert(repo, merge).setAfterCommit(() -> {
                if (winner[0] == null) { // between our commit and our push, someone else pushes main
                    winner[0] = b.pushFromElsewhere(tmp, "lib/util.txt", "one\ntwo\nthree\nrace\n");
                }
            }).call();
            assertEquals(AutoRevert.Status.PUSHED, r.status(), r.reason());
            assertEquals(2, r.attempts());
            assertEquals(winner[0], b.git.git(b.server, "rev-parse", "main^"), "on top of the winner, not forced");
            assertEquals(b.gitRevertTree(tmp, merge, winner[0]), b.tree(b.server, "main"));
        }
    }

    @Test
    void conflictPushesNothingAndLeavesTheCloneClean() throws Exception {
        Branches b = new Branches(tmp);
        String merge = b.merge("feature", "app.conf", "mode=broken\nport=8080\n");
        b.pushFromElsewhere(tmp, "app.conf", "mode=hotfixed-on-top\nport=9090\n");
        String before = b.serverMain();
        try (Repository repo = b.open()) {
            AutoRevert.Result r = b.revert(repo, merge).call();
            assertEquals(AutoRevert.Status.CONFLICT, r.status());
            assertEquals(java.util.List.of("app.conf"), r.conflicts());
            assertEquals(before, b.serverMain());
            assertEquals("", b.git.git(b.work, "status", "--porcelain"));
            assertEquals(merge, b.head());
        }
    }

    @Test
    void runningAgainDoesNotRevertTwice() throws Exception {
        Branches b = new Branches(tmp);
        String merge = b.merge("feature", "app.conf", "mode=broken\nport=8080\n");
        try (Repository repo = b.open()) {
            String first = b.revert(repo, merge).call().revert();
            AutoRevert.Result again = b.revert(repo, merge).call();
            assertEquals(AutoRevert.Status.ALREADY_REVERTED, again.status());
            assertEquals(first, again.revert());
            assertEquals(first, b.serverMain());
        }
    }

    @Test
    void aRevertIsNeverReverted() throws Exception {
        Branches b = new Branches(tmp);
        String merge = b.merge("feature", "app.conf", "mode=broken\nport=8080\n");
        try (Repository repo = b.open()) {
            String revert = b.revert(repo, merge).call().revert();
            AutoRevert.Result r = b.revert(repo, revert).call();
            assertEquals(AutoRevert.Status.LOOP_GUARD, r.status());
            assertTrue(r.reason().contains("automatic revert itself"), r.reason());
            // and git's own "Revert" of a Gatekeeper revert
            b.git.git(b.work, "pull", "-q", "origin", "main");
            b.git.git(b.work, "revert", "--no-edit", revert);
            b.git.git(b.work, "push", "-q", "origin", "main");
            AutoRevert.Result r2 = b.revert(repo, b.head()).call();
            assertEquals(AutoRevert.Status.LOOP_GUARD, r2.status());
            assertTrue(r2.reason().contains("reverts a revert"), r2.reason());
        }
    }

    @Test
    void dailyCapStopsTheFourthRevert() throws Exception {
        Branches b = new Branches(tmp);
        try (Repository repo = b.open()) {
            for (int i = 1; i <= 3; i++) {
                b.git.git(b.work, "pull", "-q", "origin", "main");
                String c = b.commit("f" + i + ".txt", "x\n", "change " + i);
                assertEquals(AutoRevert.Status.PUSHED, b.revert(repo, c).call().status());
            }
            b.git.git(b.work, "pull", "-q", "origin", "main");
            String fourth = b.commit("f4.txt", "x\n", "change 4");
            String before = b.serverMain();
            AutoRevert.Result r = b.revert(repo, fourth).call();
            assertEquals(AutoRevert.Status.CAP_REACHED, r.status());
            assertTrue(r.reason().contains("already 3 automatic reverts"), r.reason());
            assertEquals(before, b.serverMain());
            assertEquals(AutoRevert.Status.PUSHED, b.revert(repo, fourth).setDailyCap(4).call().status());
        }
    }

    @Test
    void anInterruptedRunIsResumedWithTheSameCommit() throws Exception {
        Branches b = new Branches(tmp);
        String merge = b.merge("feature", "app.conf", "mode=broken\nport=8080\n");
        try (Repository repo = b.open()) {
            class Killed extends RuntimeException {
                private static final long serialVersionUID = 1L;
            }
            try {
                b.revert(repo, merge).setAfterCommit(() -> {
                    throw new Killed();
                }).call();
            } catch (Killed expected) {
                // stands in for kill -9 between commit and push (the e2e test kills a real process)
            }
            assertEquals(merge, b.serverMain(), "nothing pushed yet");
            String pending = repo.exactRef(AutoRevert.PENDING_PREFIX + merge).getObjectId().name();
            AutoRevert.Result r = b.revert(repo, merge).call();
            assertEquals(AutoRevert.Status.RESUMED, r.status());
            assertEquals(pending, r.revert());
            assertEquals(pending, b.serverMain());
        }
    }

    @Test
    void dryRunWritesNothing() throws Exception {
        Branches b = new Branches(tmp);
        String merge = b.merge("feature", "app.conf", "mode=broken\nport=8080\n");
        String objects = b.git.git(b.work, "count-objects", "-v");
        String refs = b.git.git(b.work, "for-each-ref");
        try (Repository repo = b.open()) {
            AutoRevert.Result r = b.revert(repo, merge).setDryRun(true).call();
            assertEquals(AutoRevert.Status.WOULD_PUSH, r.status(), r.reason());
            assertTrue(r.message().contains("Gatekeeper-Reverts: " + merge), r.message());
        }
        assertEquals(objects, b.git.git(b.work, "count-objects", "-v"));
        assertEquals(refs, b.git.git(b.work, "for-each-ref"));
        assertEquals(merge, b.serverMain());
    }

    @Test
    void aCommitNotOnTheBranchIsNotReverted() throws Exception {
        Branches b = new Branches(tmp);
        b.git.git(b.work, "switch", "-q", "-c", "side");
        String side = b.git.commit(b.work, "side work");
        b.git.git(b.work, "switch", "-q", "main");
        try (Repository repo = b.open()) {
            AutoRevert.Result r = b.revert(repo, side).call();
            assertEquals(AutoRevert.Status.NOT_ON_BRANCH, r.status());
            assertFalse(r.reason().isEmpty());
        }
    }

    @Test
    void aMergeWhoseFileWasRenamedSinceConflictsAsInGitAndNothingIsPushed() throws Exception {
        // the case: M adds a file, a later commit renames it; git revert -m 1 M stops on rename/delete.
        // ResolveMerger saw "deleted on both sides" at the old path and pushed a revert that reverted nothing.
        Branches b = new Branches(tmp);
        String merge = b.merge("feature", "lib/cache.txt", "cache on\n");
        b.git.git(b.work, "mv", "lib/cache.txt", "lib/cache-settings.txt");
        b.git.git(b.work, "commit", "-q", "-m", "rename the cache settings");
        b.git.git(b.work, "push", "-q", "origin", "main");
        String tip = b.serverMain();
        try (Repository repo = b.open()) {
            AutoRevert.Result r = b.revert(repo, merge).call();
            assertEquals(AutoRevert.Status.CONFLICT, r.status(), r.reason());
            assertEquals(java.util.List.of("lib/cache-settings.txt"), r.conflicts());
            assertTrue(r.reason().contains("CONFLICT (rename/delete)"), r.reason());
            assertEquals(tip, b.serverMain(), "nothing pushed");
            assertNull(repo.exactRef(AutoRevert.PENDING_PREFIX + merge));
        }
        assertEquals("", b.git.git(b.work, "status", "--porcelain"));
    }

    @Test
    void anEditOfAFileRenamedSinceIsRevertedWhereItLivesNowAsGitDoes() throws Exception {
        Branches b = new Branches(tmp);
        String merge = b.merge("feature", "lib/util.txt", "one\nTWO\nthree\n");
        java.nio.file.Files.createDirectories(b.work.resolve("src"));
        b.git.git(b.work, "mv", "lib/util.txt", "src/util.txt");
        b.git.git(b.work, "commit", "-q", "-m", "move util to src");
        b.git.git(b.work, "push", "-q", "origin", "main");
        String tip = b.serverMain();
        try (Repository repo = b.open()) {
            AutoRevert.Result r = b.revert(repo, merge).call();
            assertEquals(AutoRevert.Status.PUSHED, r.status(), r.reason());
            assertEquals(b.gitRevertTree(tmp, merge, tip), b.tree(b.server, "main"));
            assertEquals("one\ntwo\nthree", b.git.git(b.server, "show", "main:src/util.txt"), "followed the rename");
            // merge-tree where git has --write-tree (2.38+); run under an older git, the worktree fallback
            String[] v = b.git.git(b.work, "version").replaceAll("[^0-9.]", " ").trim().split("[ .]+");
            boolean writeTree = Integer.parseInt(v[0]) > 2 || (Integer.parseInt(v[0]) == 2
                    && Integer.parseInt(v[1]) >= 38);
            assertEquals(writeTree ? GitRevert.Method.MERGE_TREE : GitRevert.Method.WORKTREE, r.computed().method());
        }
    }

    @Test
    void aMergeThatChangedNothingIsNotRevertedWithAnEmptyCommit() throws Exception {
        Branches b = new Branches(tmp);
        b.git.git(b.work, "switch", "-q", "-c", "noop", "main");
        b.git.git(b.work, "commit", "-q", "--allow-empty", "-m", "nothing");
        b.git.git(b.work, "switch", "-q", "main");
        b.git.git(b.work, "merge", "-q", "--no-ff", "-m", "Merge noop", "noop");
        b.git.git(b.work, "push", "-q", "origin", "main");
        String merge = b.head();
        try (Repository repo = b.open()) {
            AutoRevert.Result r = b.revert(repo, merge).call();
            assertEquals(AutoRevert.Status.NOTHING_TO_REVERT, r.status(), r.reason());
            assertTrue(r.reason().startsWith("nothing to revert: "), r.reason());
            assertEquals(merge, b.serverMain(), "no empty commit pushed");
            assertEquals(AutoRevert.Status.NOTHING_TO_REVERT, b.revert(repo, merge).setDryRun(true).call().status());
        }
    }

    @Test
    void theOlderGitFallbackMakesTheSameRevert() throws Exception {
        Branches b = new Branches(tmp);
        String merge = b.merge("feature", "app.conf", "mode=broken\nport=8080\n");
        String moved = b.pushFromElsewhere(tmp, "lib/util.txt", "one\ntwo\nthree\nfour\n");
        try (Repository repo = b.open()) {
            AutoRevert.Result r = b.revert(repo, merge).setMethod(GitRevert.Method.WORKTREE).call();
            assertEquals(AutoRevert.Status.PUSHED, r.status(), r.reason());
            assertEquals(b.gitRevertTree(tmp, merge, moved), b.tree(b.server, "main"));
            assertEquals(GitRevert.Method.WORKTREE, r.computed().method());
        }
        assertEquals("", b.git.git(b.work, "worktree", "list", "--porcelain").lines()
                .filter(l -> l.startsWith("worktree ") && !l.endsWith("/work")).reduce("", String::concat),
                "the throw-away worktree is gone");
    }

    /**
     * The user's own worktree is on a drive that is not mounted during the revert. The fallback ran
     * "git worktree prune" after its throw-away worktree, which dropped the user's too: back on the drive, git said
     * "fatal: not a git repository: .../.git/worktrees/topic" and its branch link and staged change were gone.
     */
    @Test
    void theOlderGitFallbackLeavesTheUsersUnmountedWorktreeAlone() throws Exception {
        Branches b = new Branches(tmp);
        java.nio.file.Path drive = tmp.resolve("usb");
        java.nio.file.Path topic = drive.resolve("topic");
        b.git.git(b.work, "worktree", "add", "-q", "-b", "topic", topic.toString());
        java.nio.file.Files.writeString(topic.resolve("wip.txt"), "staged\n");
        b.git.git(topic, "add", "wip.txt");
        java.nio.file.Path away = tmp.resolve("usb-unmounted");
        java.nio.file.Files.move(drive, away);
        String merge = b.merge("feature", "app.conf", "mode=broken\nport=8080\n");
        try (Repository repo = b.open()) {
            AutoRevert.Result r = b.revert(repo, merge).setMethod(GitRevert.Method.WORKTREE).call();
            assertEquals(AutoRevert.Status.PUSHED, r.status(), r.reason());
        }
        java.nio.file.Files.move(away, drive);
        assertEquals("## topic\nA  wip.txt", b.git.git(topic, "status", "--porcelain", "--branch"));
        assertEquals(2, b.git.git(b.work, "worktree", "list", "--porcelain").lines()
                .filter(l -> l.startsWith("worktree ")).count(), "the clone and the user's worktree, no other");
    }

    /** A killed run's throw-away worktree, its temporary folder since cleaned away, is pruned by the next run. */
    @Test
    void aThrowAwayWorktreeAKilledRunLeftIsRemovedByTheNextRevert() throws Exception {
        Branches b = new Branches(tmp);
        java.nio.file.Path left = tmp.resolve("gatekeeper-revert42/worktree");
        b.git.git(b.work, "worktree", "add", "-q", "--detach", left.toString(), "HEAD");
        try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.walk(left.getParent())) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        assertTrue(java.nio.file.Files.isDirectory(b.work.resolve(".git/worktrees/worktree")));
        assertEquals(2, b.git.git(b.work, "worktree", "list", "--porcelain").lines()
                .filter(l -> l.startsWith("worktree ")).count());
        String merge = b.merge("feature", "app.conf", "mode=broken\nport=8080\n");
        try (Repository repo = b.open()) {
            AutoRevert.Result r = b.revert(repo, merge).setMethod(GitRevert.Method.WORKTREE).call();
            assertEquals(AutoRevert.Status.PUSHED, r.status(), r.reason());
        }
        assertEquals("", b.git.git(b.work, "worktree", "list", "--porcelain").lines()
                .filter(l -> l.startsWith("worktree ") && !l.endsWith("/work")).reduce("", String::concat));
        assertFalse(java.nio.file.Files.exists(b.work.resolve(".git/worktrees/worktree")), "its admin folder too");
    }

    @Test
    void theRevertRecordIsRemovedWhenTheRevertIsFoundOnTheBranch() throws Exception {
        Branches b = new Branches(tmp);
        String merge = b.merge("feature", "app.conf", "mode=broken\nport=8080\n");
        try (Repository repo = b.open()) {
            String first = b.revert(repo, merge).call().revert();
            // a record left behind (say, by a run that pushed and was killed before removing it)
            b.git.git(b.work, "update-ref", AutoRevert.PENDING_PREFIX + merge, first);
            AutoRevert.Result again = b.revert(repo, merge).call();
            assertEquals(AutoRevert.Status.ALREADY_REVERTED, again.status());
            assertNull(repo.exactRef(AutoRevert.PENDING_PREFIX + merge), "the record is gone");
        }
    }

    @Test
    void aStaleLockOnTheRevertRecordIsMovedAsideAndTheRevertGoesThrough() throws Exception {
        Branches b = new Branches(tmp);
        String merge = b.merge("feature", "app.conf", "mode=broken\nport=8080\n");
        java.nio.file.Path lock = b.work.resolve(".git/" + AutoRevert.PENDING_PREFIX + merge + ".lock");
        java.nio.file.Files.createDirectories(lock.getParent());
        java.nio.file.Files.writeString(lock, "0123456789012345678901234567890123456789\n");
        java.nio.file.Files.setLastModifiedTime(lock, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minusSeconds(60)));
        java.util.List<String> warnings = new java.util.ArrayList<>();
        try (Repository repo = b.open()) {
            AutoRevert.Result r = b.revert(repo, merge).setWarn(warnings::add).call();
            assertEquals(AutoRevert.Status.PUSHED, r.status(), r.reason());
        }
        assertFalse(java.nio.file.Files.exists(lock));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("stale lock"), warnings.toString());
        try (var saved = java.nio.file.Files.list(b.work.resolve(".git/gatekeeper/stale-locks"))) {
            assertEquals(1, saved.count(), "moved aside, not deleted");
        }
    }

    @Test
    void aRecordFromAnotherEngineIsNotResumedWhenItsTreeIsNotGits() throws Exception {
        Branches b = new Branches(tmp);
        String merge = b.merge("feature", "app.conf", "mode=broken\nport=8080\n");
        // a record left by an older version whose revert reverted nothing (its tree is the tip's)
        String wrong = b.git.git(b.work, "commit-tree", "-p", merge, "-m", "Auto-revert: old", merge + "^{tree}");
        b.git.git(b.work, "update-ref", AutoRevert.PENDING_PREFIX + merge, wrong);
        try (Repository repo = b.open()) {
            AutoRevert.Result r = b.revert(repo, merge).call();
            assertEquals(AutoRevert.Status.PUSHED, r.status(), r.reason());
            assertFalse(wrong.equals(b.serverMain()));
            assertEquals(b.gitRevertTree(tmp, merge, merge), b.tree(b.server, "main"));
        }
    }
}
