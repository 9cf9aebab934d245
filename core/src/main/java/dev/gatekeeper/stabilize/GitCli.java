package dev.gatekeeper.stabilize;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The git binary for the clone's fetch and push. Pushes go through git, not JGit: JGit pushes to a {@code file://}
 * or local remote in-process and so skips the server's hooks, which would bypass the very gate a revert must pass,
 * and git uses the user's transports, credentials and ssh setup as any pipeline step does.
 */
final class GitCli {
    /** How git ended and what it printed (stdout and stderr together). */
    record Run(int exit, String output) {}

    private final Path dir;
    private final Duration timeout;
    private final Map<String, String> env;

    /** @param env the whole environment for git, or null to inherit this process's */
    GitCli(Path dir, Duration timeout, Map<String, String> env) {
        this.dir = dir;
        this.timeout = timeout;
        this.env = env;
    }

    Run run(List<String> args) throws IOException, InterruptedException {
        return run(args, Map.of());
    }

    /**
     * Runs git with a push option that must not appear in its argv (a token in {@code ps} output is a leaked
     * token): passed as {@code push.pushOption} through git's {@code GIT_CONFIG_COUNT} environment instead.
     */
    Run runWithPushOption(List<String> args, String pushOption) throws IOException, InterruptedException {
        Map<String, String> base = env != null ? env : System.getenv();
        int n = 0;
        try {
            n = Integer.parseInt(base.getOrDefault("GIT_CONFIG_COUNT", "0").trim());
        } catch (NumberFormatException e) {
            n = 0;
        }
        return run(args, Map.of("GIT_CONFIG_COUNT", Integer.toString(n + 1),
                "GIT_CONFIG_KEY_" + n, "push.pushOption", "GIT_CONFIG_VALUE_" + n, pushOption));
    }

    private Run run(List<String> args, Map<String, String> extraEnv) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("git");
        cmd.addAll(args);
        Path out = Files.createTempFile("gatekeeper-git", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            if (env != null) {
                pb.environment().clear();
                pb.environment().putAll(env);
            }
            pb.environment().putAll(extraEnv);
            pb.environment().put("GIT_TERMINAL_PROMPT", "0");
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return new Run(-1, "git " + args.get(0) + " timed out after " + timeout.toSeconds() + " s");
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
