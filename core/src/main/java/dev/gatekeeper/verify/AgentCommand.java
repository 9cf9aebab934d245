package dev.gatekeeper.verify;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs the agent's command in wrap mode: its output streams straight through, its exit code is kept. When
 * verify-push must keep stdout for JSON, the agent's stdout is copied to stderr instead so the two never mix.
 * If verify-push is stopped (SIGTERM, Ctrl-C) while the agent runs, the agent is stopped too: an orphaned agent
 * pushing after the verdict would make the verdict stale.
 */
public final class AgentCommand {
    private final List<String> command;
    private Path directory;
    private boolean stdoutToStderr;

    public AgentCommand(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no command to run");
        }
        this.command = List.copyOf(command);
    }

    public AgentCommand setDirectory(Path v) { this.directory = v; return this; }
    public AgentCommand setStdoutToStderr(boolean v) { this.stdoutToStderr = v; return this; }

    public String program() {
        return command.get(0);
    }

    public AgentRun run() throws GatekeeperException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(stdoutToStderr ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.INHERIT);
        if (directory != null) {
            pb.directory(directory.toFile());
        }
        long start = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new GatekeeperException(ExitCode.USAGE, "cannot run the agent command '" + program() + "': "
                    + e.getMessage());
        }
        Thread stopAgent = new Thread(() -> {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }, "gatekeeper-stop-agent");
        Runtime.getRuntime().addShutdownHook(stopAgent);
        Thread copier = null;
        if (stdoutToStderr) {
            copier = new Thread(() -> copy(p.getInputStream(), System.err), "gatekeeper-agent-stdout");
            copier.setDaemon(true);
            copier.start();
        }
        try {
            int exit = p.waitFor();
            if (copier != null) {
                copier.join(2000);
            }
            return new AgentRun(program(), exit, Duration.ofNanos(System.nanoTime() - start));
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopAgent);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting and the hook is stopping the agent already
            }
        }
    }

    private static void copy(InputStream in, OutputStream out) {
        byte[] buf = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // the agent closed its stdout or died; nothing more to pass on
        }
    }
}
