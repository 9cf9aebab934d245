package dev.gatekeeper.stabilize;

import dev.gatekeeper.verify.Git;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * A bare "server" repository and a working clone, with helpers to make the merges the tests revert. Everything
 * runs the real git binary through {@link Git} (isolated HOME, no system config, fixed identities, timeouts).
 */
final class Branches {
    final Git git;
    final Path server;
    final Path work;

    Branches(Path tmp) {
        git = new Git(tmp.resolve("home"));
        server = git.bare(tmp.resolve("app.git"));
        work = git.clone(server.toString(), tmp.resolve("work"));
        git.git(work, "symbolic-ref", "HEAD", "refs/heads/main"); // git before 2.28 names the first branch master
        write("app.conf", "mode=stable\nport=8080\n");
        write("lib/util.txt", "one\ntwo\nthree\n");
        git.git(work, "add", "-A");
        git.git(work, "commit", "-q", "-m", "base");
        git.git(work, "push", "-q", "origin", "HEAD:main");
    }

    void write(String file, String content) {
        try {
            Path f = work.resolve(file);
            Files.createDirectories(f.getParent());
            Files.writeString(f, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A feature branch changing {@code file} merged with --no-ff into main and pushed; returns the merge. */
    String merge(String feature, String file, String content) {
        git.git(work, "switch", "-q", "-c", feature, "main");
        write(file, content);
        write(feature + ".txt", feature + "\n");
        git.git(work, "add", "-A");
        git.git(work, "commit", "-q", "-m", "feature " + feature);
        git.git(work, "switch", "-q", "main");
        // a commit on main meanwhile, so the merge is a real two-parent merge with something on each side
        write("main-" + feature + ".txt", "main side\n");
        git.git(work, "add", "-A");
        git.git(work, "commit", "-q", "-m", "main before " + feature);
        git.git(work, "merge", "-q", "--no-ff", "-m", "Merge " + feature, feature);
        git.git(work, "push", "-q", "origin", "main");
        return head();
    }

    /** One plain commit on main, pushed. */
    String commit(String file, String content, String message) {
        write(file, content);
        git.git(work, "add", "-A");
        git.git(work, "commit", "-q", "-m", message);
        git.git(work, "push", "-q", "origin", "main");
        return head();
    }

    /** Someone else pushes a commit on top of main from their own clone. */
    String pushFromElsewhere(Path tmp, String file, String content) {
        Path other = tmp.resolve("other-" + System.nanoTime());
        git.clone(server.toString(), other);
        try {
            Files.writeString(other.resolve(file), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        git.git(other, "add", "-A");
        git.git(other, "commit", "-q", "-m", "colleague changes " + file);
        git.git(other, "push", "-q", "origin", "HEAD:main");
        return git.git(other, "rev-parse", "HEAD");
    }

    String head() {
        return git.git(work, "rev-parse", "HEAD");
    }

    String serverMain() {
        return git.git(server, "rev-parse", "refs/heads/main");
    }

    String tree(Path repo, String rev) {
        return git.git(repo, "rev-parse", rev + "^{tree}");
    }

    /**
     * The tree {@code git revert [-m 1] COMMIT} makes on top of {@code onto}, in a throwaway clone of the server.
     */
    String gitRevertTree(Path tmp, String commit, String onto) {
        Path scratch = git.clone(server.toString(), tmp.resolve("scratch-" + System.nanoTime()));
        git.git(scratch, "checkout", "-q", onto);
        int parents = git.git(scratch, "rev-list", "--parents", "-n", "1", commit).split(" ").length - 1;
        if (parents > 1) {
            git.git(scratch, "revert", "--no-edit", "-m", "1", commit);
        } else {
            git.git(scratch, "revert", "--no-edit", commit);
        }
        return tree(scratch, "HEAD");
    }

    Repository open() throws IOException {
        return new FileRepositoryBuilder().setGitDir(work.resolve(".git").toFile()).setMustExist(true).build();
    }

    AutoRevert revert(Repository repo, String commit) {
        return new AutoRevert().setRepository(repo).setBranch("main").setReverted(ObjectId.fromString(commit))
                .setSubject("http GET http://127.0.0.1:1/health failed: HTTP 500").setEventId("ev-test")
                .setGitEnv(git.env()).setIdentity(new org.eclipse.jgit.lib.PersonIdent("Gatekeeper",
                        "gatekeeper@localhost"));
    }
}
