package dev.gatekeeper.drift;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code git} CLI on a scanned repository. Measured faster than JGit for status on cold repositories
 * (git uses the index's stat cache and untracked cache; JGit re-reads more), and it honours the repository's own
 * .gitignore, excludes and config exactly as the people who deploy there see them. Never reads stdin, never
 * prompts, always times out.
 */
final class GitCli {
    static final long TIMEOUT_SECONDS = 120;

    /** Added to every git's environment; empty in production (the scanner's own HOME and config apply). */
    private static volatile Map<String, String> extraEnv = Map.of();

    private GitCli() {}

    /** For tests: an isolated HOME and identity for every git the scanner runs. */
    static void setExtraEnv(Map<String, String> env) {
        extraEnv = Map.copyOf(env);
    }

    /** Output of a git command that succeeded. */
    record Out(int exit, byte[] stdout, String stderr) {
        String text() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        String line() {
            return text().strip();
        }

        boolean ok() {
            return exit == 0;
        }
    }

    static Out run(Path dir, String... args) throws IOException {
        return run(dir, Map.of(), args);
    }

    static Out run(Path dir, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("git");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        pb.environment().put("LC_ALL", "C");
        pb.environment().putAll(extraEnv);
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        byte[] out = readAll(p.getInputStream());
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("git " + String.join(" ", args) + " did not finish within " + TIMEOUT_SECONDS
                        + "s in " + dir);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new Out(p.exitValue(), out, new String(err.join(), StandardCharsets.UTF_8).strip());
    }

    /** Like {@link #run} but a non-zero exit is an IOException naming the command and git's message. */
    static Out must(Path dir, Map<String, String> env, String... args) throws IOException {
        Out o = run(dir, env, args);
        if (!o.ok()) {
            throw new IOException("git " + String.join(" ", args) + " failed in " + dir + ": " + o.stderr());
        }
        return o;
    }

    static Out must(Path dir, String... args) throws IOException {
        return must(dir, Map.of(), args);
    }

    private static byte[] readAll(InputStream in) {
        try (in; ByteArrayOutputStream b = new ByteArrayOutputStream()) {
            in.transferTo(b);
            return b.toByteArray();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
