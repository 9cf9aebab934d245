package dev.gatekeeper.cli.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The real {@code git} binary, run with an isolated environment ({@link Env}) and a timeout. */
final class Git {
    private final Map<String, String> env;
    private final List<String> runAs;

    Git(Map<String, String> env) {
        this(env, List.of());
    }

    private Git(Map<String, String> env, List<String> runAs) {
        this.env = Map.copyOf(env);
        this.runAs = List.copyOf(runAs);
    }

    /**
     * The same git run as another account (e.g. the git server's, through setpriv) with {@code env}: what an admin
     * does on a server's repository, so that refs, locks and folders it creates stay that account's.
     */
    Git runningAs(Users.Account account, Map<String, String> otherEnv) {
        return new Git(otherEnv, account.runAs());
    }

    Proc.Result run(Path dir, String... args) {
        return runWithEnv(dir, Map.of(), args);
    }

    Proc.Result runWithEnv(Path dir, Map<String, String> extraEnv, String... args) {
        List<String> cmd = new ArrayList<>(runAs);
        cmd.add("git");
        cmd.addAll(List.of(args));
        Map<String, String> e = new HashMap<>(env);
        e.putAll(extraEnv);
        return Proc.run(dir, e, null, Proc.DEFAULT_TIMEOUT, cmd);
    }

    /** Runs git and fails the test unless it exits 0. */
    Proc.Result ok(Path dir, String... args) {
        return run(dir, args).expectOk();
    }

    /** What git printed on stdout, trimmed; fails the test unless it exits 0. */
    String out(Path dir, String... args) {
        return ok(dir, args).stdout().strip();
    }

    /** A working clone of {@code url} in {@code dir}. */
    Path cloneInto(String url, Path dir) {
        ok(dir.getParent(), "clone", "-q", url, dir.toString());
        return dir;
    }

    /** Writes {@code file}, commits it on the current branch and returns the new commit id. */
    String commit(Path work, String file, String content, String message) {
        try {
            Path f = work.resolve(file);
            Files.createDirectories(f.getParent());
            Files.writeString(f, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ok(work, "add", "--", file);
        ok(work, "commit", "-q", "-m", message);
        return head(work);
    }

    String head(Path work) {
        return out(work, "rev-parse", "HEAD");
    }

    /** The commit {@code ref} names in the repository whose git directory is {@code gitDir}, or null. */
    String revOrNull(Path gitDir, String ref) {
        Proc.Result r = run(gitDir, "--git-dir=" + gitDir, "rev-parse", "-q", "--verify", ref + "^{commit}");
        return r.exitCode() == 0 ? r.stdout().strip() : null;
    }

    /** {@code git push [-o OPTION]... URL REFSPEC...}; the result is not checked. */
    Proc.Result push(Path work, List<String> options, String url, String... refspecs) {
        List<String> args = new ArrayList<>();
        args.add("push");
        for (String o : options) {
            args.add("-o");
            args.add(o);
        }
        args.add(url);
        args.addAll(List.of(refspecs));
        return run(work, args.toArray(String[]::new));
    }
}
