package dev.gatekeeper.cli.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external process the way the tests need it: a clean environment (exactly {@code env}, nothing inherited),
 * standard input from a byte array or {@code /dev/null} (never the test's own), output captured through files (no
 * pipe can fill up and block), and a timeout after which the process and everything it started are killed, so a
 * hanging git or JVM fails the test instead of hanging the build.
 */
final class Proc {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
    private static final File DEV_NULL = new File("/dev/null");

    private Proc() {}

    /** How a process ended and what it printed. */
    record Result(List<String> command, Path dir, int exitCode, String stdout, String stderr, Duration took) {
        /** Everything, for assertion messages. */
        String describe() {
            return "$ " + String.join(" ", command) + "   (in " + dir + ", exit " + exitCode + ", " + took.toMillis()
                    + " ms)\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr + "--------------";
        }

        /** stdout and stderr together (git prints progress on stderr, hooks' messages arrive as "remote:" lines). */
        String output() {
            return stdout + stderr;
        }

        Result expectExit(int expected) {
            if (exitCode != expected) {
                fail("expected exit " + expected + "\n" + describe());
            }
            return this;
        }

        Result expectOk() {
            return expectExit(0);
        }

        Result expectFailure() {
            if (exitCode == 0) {
                fail("expected a non-zero exit\n" + describe());
            }
            return this;
        }
    }

    static Result run(Path dir, Map<String, String> env, byte[] stdin, Duration timeout, List<String> command) {
        Path out = null;
        Path err = null;
        Path in = null;
        long started = System.nanoTime();
        try {
            out = Files.createTempFile("e2e-out", ".txt");
            err = Files.createTempFile("e2e-err", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            if (stdin == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
            } else {
                in = Files.createTempFile("e2e-in", ".bin");
                Files.write(in, stdin);
                pb.redirectInput(ProcessBuilder.Redirect.from(in.toFile()));
            }
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p.toHandle());
                p.waitFor(10, TimeUnit.SECONDS);
                fail("timed out after " + timeout.toSeconds() + "s (killed): $ " + String.join(" ", command) + " in "
                        + dir + "\n--- stdout ---\n" + read(out) + "--- stderr ---\n" + read(err));
            }
            return new Result(List.copyOf(command), dir, p.exitValue(), read(out), read(err),
                    Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
            deleteQuietly(in);
        }
    }

    /** Kills a process and everything it started (git daemon forks one child per connection, git one per hook). */
    static void kill(ProcessHandle p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static String read(Path p) throws IOException {
        return p == null ? "" : Files.readString(p, StandardCharsets.UTF_8);
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a leftover temporary file is harmless
            }
        }
    }
}
