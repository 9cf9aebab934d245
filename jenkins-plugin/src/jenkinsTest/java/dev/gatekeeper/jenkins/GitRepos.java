package dev.gatekeeper.jenkins;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real git repositories for the JenkinsRule tests, made with the {@code git} binary (as a deploy host or an agent
 * would have them): a bare "server" repository with {@code main}, and working clones of it over a plain path.
 * Commits are made here, in the test, so the pipelines under test only run the steps (and {@code git push}).
 */
final class GitRepos {
    /** A fixed identity and no machine-wide config: the tests must not depend on the machine's git setup. */
    private static final Map<String, String> ENV = Map.of(
            "GIT_AUTHOR_NAME", "Gatekeeper Test", "GIT_AUTHOR_EMAIL", "test@gatekeeper.invalid",
            "GIT_COMMITTER_NAME", "Gatekeeper Test", "GIT_COMMITTER_EMAIL", "test@gatekeeper.invalid",
            "GIT_CONFIG_NOSYSTEM", "1");

    private GitRepos() {}

    /** {@code root/<name>.git}, bare, whose {@code main} has one commit (pushed from a throw-away clone). */
    static Path bareWithMain(Path root, String name) throws Exception {
        Path bare = root.resolve(name + ".git");
        git(root, "init", "-q", "--bare", "--initial-branch=main", bare.toString());
        Path seed = cloneOf(bare, root.resolve(name + "-seed"));
        commit(seed, "README", "first\n", "first commit");
        git(seed, "push", "-q", "origin", "HEAD:main");
        return bare;
    }

    /** A working clone of {@code bare} at {@code dest}, on main (origin/main tracked). */
    static Path cloneOf(Path bare, Path dest) throws Exception {
        git(dest.getParent(), "clone", "-q", bare.toString(), dest.toString());
        git(dest, "checkout", "-q", "-B", "main");
        return dest;
    }

    /** Writes {@code file}, commits it, and returns the new HEAD. */
    static String commit(Path clone, String file, String content, String message) throws Exception {
        Files.writeString(clone.resolve(file), content, StandardCharsets.UTF_8);
        git(clone, "add", file);
        git(clone, "commit", "-q", "-m", message);
        return head(clone);
    }

    static String head(Path repo) throws Exception {
        return git(repo, "rev-parse", "HEAD");
    }

    /** The SHA {@code ref} names in {@code repo} (bare or not). */
    static String revParse(Path repo, String ref) throws Exception {
        return git(repo, "rev-parse", ref);
    }

    /** Runs git in {@code dir}; its trimmed stdout, or an AssertionError with everything git said. */
    static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("git");
        cmd.addAll(List.of(args));
        Files.createDirectories(dir);
        Path err = Files.createTempFile("git-stderr", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(err.toFile());
            pb.environment().putAll(ENV);
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + ": timed out in " + dir);
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", cmd) + " in " + dir + " exited " + p.exitValue() + "\n"
                        + out + Files.readString(err, StandardCharsets.UTF_8));
            }
            return out.trim();
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** A path as a Groovy single-quoted string literal (the tests put absolute temp paths into pipelines). */
    static String groovy(Path p) {
        return groovy(p.toAbsolutePath().toString());
    }

    static String groovy(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
