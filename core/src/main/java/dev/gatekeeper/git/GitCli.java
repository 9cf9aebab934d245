package dev.gatekeeper.git;

import dev.gatekeeper.token.PushOptionEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The {@code git} binary, for the work that must see what a person or pipeline would see: pushes that pass the
 * server's hooks (JGit pushes to a local remote in-process and would skip them), the user's transports and
 * credentials, the index's stat cache for status. Never reads stdin, never prompts, always times out.
 *
 * <p>Each git runs with this process's environment overlaid with {@code env}, so a caller (a test, a Jenkins step
 * with its build environment) sets what differs without having to repeat PATH.
 */
public final class GitCli {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    /** How git ended; {@code exit} is -1 when it was killed at the time limit. */
    public record Result(int exit, byte[] stdout, String stderr) {
        public boolean ok() {
            return exit == 0;
        }

        public String text() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        public String line() {
            return text().strip();
        }

        /** stdout then stderr, for messages. */
        public String output() {
            String out = text();
            return stderr.isEmpty() ? out : out.isEmpty() ? stderr : out + (out.endsWith("\n") ? "" : "\n") + stderr;
        }
    }

    private final Map<String, String> env;
    private final Duration timeout;
    private final List<String> options;

    public GitCli(Map<String, String> env, Duration timeout) {
        this(env, timeout, List.of());
    }

    private GitCli(Map<String, String> env, Duration timeout, List<String> options) {
        this.env = Map.copyOf(env);
        this.timeout = timeout;
        this.options = List.copyOf(options);
    }

    /**
     * This git with {@code options} (such as {@code -c key=value}) before every command: for a scanner that must
     * trust exactly one repository of another user and let that repository's config run nothing.
     */
    public GitCli withOptions(List<String> more) {
        List<String> all = new ArrayList<>(options);
        all.addAll(more);
        return new GitCli(env, timeout, all);
    }

    /** The options every command gets (empty for a plain git). */
    public List<String> options() {
        return options;
    }

    /** This process's environment, the default time limit. */
    public static GitCli inheriting() {
        return new GitCli(Map.of(), DEFAULT_TIMEOUT);
    }

    public Result run(Path dir, String... args) throws IOException, InterruptedException {
        return run(dir, Map.of(), List.of(args));
    }

    public Result run(Path dir, List<String> args) throws IOException, InterruptedException {
        return run(dir, Map.of(), args);
    }

    /** Like {@link #run} but a non-zero exit is an IOException naming the command and git's message. */
    public Result must(Path dir, String... args) throws IOException, InterruptedException {
        return must(dir, Map.of(), args);
    }

    public Result must(Path dir, Map<String, String> extraEnv, String... args) throws IOException, InterruptedException {
        Result r = run(dir, extraEnv, List.of(args));
        if (!r.ok()) {
            throw new IOException("git " + String.join(" ", args) + " failed in " + dir + ": " + r.stderr().strip());
        }
        return r;
    }

    /**
     * Runs git with a push option that must not appear in its argv (a token in {@code ps} output is a leaked
     * token): it goes to git as {@code push.pushOption} through the environment ({@link PushOptionEnvironment}).
     */
    public Result runWithPushOption(Path dir, List<String> args, String pushOption)
            throws IOException, InterruptedException {
        return run(dir, PushOptionEnvironment.forPushOption(effectiveEnv(), pushOption), args);
    }

    public Result run(Path dir, Map<String, String> extraEnv, List<String> args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("git");
        cmd.addAll(options);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        pb.environment().putAll(extraEnv);
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        Process p = pb.start();
        // readers from our own pool, not the common pool: with 2 cores that has one thread, and a blocked stderr
        // reader would leave git stuck on a full pipe until the time limit
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return new Result(-1, new byte[0], "git " + args.get(0) + " timed out after " + timeout.toSeconds()
                        + " s in " + dir);
            }
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw e;
        }
        return new Result(p.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
    }

    private Map<String, String> effectiveEnv() {
        Map<String, String> all = new java.util.HashMap<>(System.getenv());
        all.putAll(env);
        return all;
    }

    /**
     * Unbounded, so a reader never waits for another to finish; cached, so a drift scan of 500 checkouts reuses a
     * few threads instead of starting a thousand (measured: a new thread per stream cost the scan ~15%).
     */
    private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "git-output");
        t.setDaemon(true);
        return t;
    });

    private static CompletableFuture<byte[]> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in; ByteArrayOutputStream b = new ByteArrayOutputStream()) {
                in.transferTo(b);
                return b.toByteArray();
            } catch (IOException e) {
                return new byte[0];
            }
        }, READERS);
    }
}
