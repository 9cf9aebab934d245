package dev.gatekeeper.stabilize;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A shell command ({@code sh -c}): exit 0 is healthy, any other exit a FAILURE; a command that cannot start or
 * overruns the timeout (killed, with its children) is an ERROR. Output is discarded except the last line, which
 * becomes the reason.
 */
public final class CommandProbe implements Probe {
    private final String command;
    private final Duration timeout;
    private final Path directory;

    public CommandProbe(String command, Duration timeout, Path directory) {
        this.command = command;
        this.timeout = timeout;
        this.directory = directory;
    }

    @Override
    public Measurement measure() throws InterruptedException {
        long start = System.nanoTime();
        File out = null;
        try {
            out = File.createTempFile("gatekeeper-probe", ".out");
            ProcessBuilder pb = new ProcessBuilder(List.of("sh", "-c", command)).redirectErrorStream(true)
                    .redirectOutput(out).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            if (directory != null) {
                pb.directory(directory.toFile());
            }
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return Measurement.error("timed out after " + timeout.toMillis() + " ms", HttpProbe.millis(start));
            }
            int exit = p.exitValue();
            String last = lastLine(java.nio.file.Files.readString(out.toPath()));
            return exit == 0 ? Measurement.ok("exit 0", HttpProbe.millis(start))
                    : Measurement.failure("exit " + exit + (last.isEmpty() ? "" : ": " + last), HttpProbe.millis(start));
        } catch (IOException e) {
            return Measurement.error("cannot run: " + e.getMessage(), HttpProbe.millis(start));
        } finally {
            if (out != null) {
                out.delete();
            }
        }
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        String l = lines[lines.length - 1].strip();
        return l.length() > 200 ? l.substring(0, 200) + "…" : l;
    }

    @Override
    public String name() {
        String c = command.length() > 60 ? command.substring(0, 60) + "…" : command;
        return "cmd " + c;
    }
}
