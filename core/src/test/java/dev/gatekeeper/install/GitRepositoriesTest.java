package dev.gatekeeper.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitRepositoriesTest {
    @TempDir
    Path tmp;

    @Test
    void bareAndNonBare() throws Exception {
        Path bare = Fixtures.bare(tmp.resolve("a.git"));
        Path clone = Fixtures.clone(tmp.resolve("work"));

        assertTrue(GitRepositories.isGitDir(bare) && GitRepositories.isBare(bare));
        assertTrue(GitRepositories.isGitDir(clone.resolve(".git")));
        assertFalse(GitRepositories.isBare(clone.resolve(".git")));
        assertFalse(GitRepositories.isGitDir(clone));
    }

    @Test
    void gitDirOfAWorkTreeALinkedWorkTreeAndAGitDir() throws Exception {
        Path clone = Fixtures.clone(tmp.resolve("work"));
        Fixtures.git(clone, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "x");
        Fixtures.git(clone, "worktree", "add", "-q", tmp.resolve("linked").toString());

        assertEquals(Optional.of(clone.resolve(".git")), GitRepositories.gitDirOf(clone));
        assertEquals(Optional.of(clone.resolve(".git")), GitRepositories.gitDirOf(clone.resolve(".git")));
        assertEquals(Optional.of(clone.resolve(".git")), GitRepositories.gitDirOf(tmp.resolve("linked")),
                "hooks and config live in the common directory");
        assertEquals(Optional.empty(), GitRepositories.gitDirOf(Files.createDirectories(tmp.resolve("nothing"))));
    }

    @Test
    void findBareSkipsSymbolicLinksSoNothingIsFoundTwice() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("srv"));
        Path one = Fixtures.bare(root.resolve("one.git"));
        Files.createSymbolicLink(root.resolve("alias"), root);
        Files.createSymbolicLink(root.resolve("alias.git"), one);

        GitRepositories.Scan scan = GitRepositories.findBare(root);

        assertEquals(List.of(one), scan.repositories());
        assertTrue(scan.problems().isEmpty());
    }
}
