package dev.gatekeeper.verify;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real {@code git} (and any other program) in an isolated environment: HOME is a temporary folder, no system
 * config, fixed identities, stdin from /dev/null, and every process killed after a timeout so a hung git fails the
 * test instead of the build. Public so the CLI's end-to-end tests use the same harness (core's test jar).
 */
public final class Git {
    public static final long TIMEOUT_SECONDS = 60;

    private final Path home;

    public Git(Path home) {
        this.home = home;
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a process printed and how it ended. */
    public record Run(int exit, String stdout, String stderr) {
        public String out() {
            return stdout.strip();
        }
    }

    /** The isolated environment every process here gets. */
    public Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_AUTHOR_NAME", "Agent");
        env.put("GIT_AUTHOR_EMAIL", "agent@example.invalid");
        env.put("GIT_COMMITTER_NAME", "Agent");
        env.put("GIT_COMMITTER_EMAIL", "agent@example.invalid");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        return env;
    }

    /** Runs git in {@code dir}; fails the test when it does not exit 0. */
    public String git(Path dir, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("git");
        cmd.addAll(List.of(args));
        Run r = run(dir, Map.of(), cmd);
        if (r.exit() != 0) {
            throw new AssertionError("git " + String.join(" ", args) + " exited " + r.exit() + ": " + r.stderr());
        }
        return r.out();
    }

    public Run run(Path dir, Map<String, String> extraEnv, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env());
        pb.environment().putAll(extraEnv);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            Path out = Files.createTempFile(home, "out", ".txt");
            Path err = Files.createTempFile(home, "err", ".txt");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            Run r = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** A bare repository with {@code main} as its default branch. */
    public Path bare(Path dir) {
        git(dir.getParent(), "init", "-q", "--bare", "--initial-branch=main", dir.toString());
        return dir;
    }

    /** A clone of {@code remote} (a path or URL) with one commit pushed to main, upstream set. */
    public Path seededClone(String remote, Path dir) {
        git(dir.getParent(), "clone", "-q", remote, dir.toString());
        commit(dir, "seed");
        git(dir, "push", "-q", "-u", "origin", "HEAD:main");
        git(dir, "branch", "-q", "-u", "origin/main");
        return dir;
    }

    public Path clone(String remote, Path dir) {
        git(dir.getParent(), "clone", "-q", remote, dir.toString());
        return dir;
    }

    /** Adds a file named after {@code message} and commits it; returns the new HEAD. */
    public String commit(Path dir, String message) {
        try {
            Files.writeString(dir.resolve(message.replaceAll("[^A-Za-z0-9]", "_") + ".txt"), message + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        git(dir, "add", "-A");
        git(dir, "commit", "-q", "-m", message);
        return git(dir, "rev-parse", "HEAD");
    }
}
