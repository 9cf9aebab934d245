package dev.gatekeeper.stabilize;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The redeploy step: one shell command ({@code sh -c}), e.g. {@code systemctl restart app} or
 * {@code git -C /srv/app pull --ff-only}, with a timeout after which it and its children are killed. Its output is
 * kept (last lines) for the event and the report.
 */
public final class Deploy {
    /** How the command ended: exit code (-1 when it timed out or could not start) and its last output. */
    public record Ran(int exit, String tail, long millis) {
        public boolean ok() {
            return exit == 0;
        }
    }

    private final String command;
    private final Duration timeout;
    private final Path directory;

    public Deploy(String command, Duration timeout, Path directory) {
        this.command = command;
        this.timeout = timeout;
        this.directory = directory;
    }

    public String command() {
        return command;
    }

    public Ran run() throws InterruptedException {
        long start = System.nanoTime();
        Path out = null;
        try {
            out = Files.createTempFile("gatekeeper-deploy", ".out");
            ProcessBuilder pb = new ProcessBuilder(List.of("sh", "-c", command)).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            if (directory != null) {
                pb.directory(directory.toFile());
            }
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return new Ran(-1, "timed out after " + timeout.toSeconds() + " s (killed)", HttpProbe.millis(start));
            }
            return new Ran(p.exitValue(), tail(Files.readString(out, StandardCharsets.UTF_8)), HttpProbe.millis(start));
        } catch (IOException e) {
            return new Ran(-1, "cannot run: " + e.getMessage(), HttpProbe.millis(start));
        } finally {
            if (out != null) {
                out.toFile().delete();
            }
        }
    }

    private static String tail(String s) {
        String t = s.strip();
        return t.length() > 500 ? "…" + t.substring(t.length() - 500) : t;
    }
}
