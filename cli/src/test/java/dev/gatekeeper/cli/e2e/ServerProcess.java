package dev.gatekeeper.cli.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * A server the tests start (git daemon, sshd, lighttpd) on a free port of 127.0.0.1: started from an empty
 * environment with its output in a log file, retried on another port when the port was taken in between, and
 * killed with everything it forked (one child per connection, git, the hooks) by {@link #close()}.
 */
final class ServerProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final int port;
    private final Path log;

    private ServerProcess(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts {@code command.apply(port)} in {@code dir} with exactly {@code env}; returns once the port accepts
     * connections.
     *
     * @param command the command line for a port (it may write that port into a config file first)
     */
    static ServerProcess start(String name, Path dir, Map<String, String> env, IntFunction<List<String>> command) {
        IOException last = null;
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                Path log = Files.createTempFile(dir, name, ".log");
                int port = Ports.free();
                ProcessBuilder pb = new ProcessBuilder(command.apply(port)).directory(dir.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().clear();
                pb.environment().putAll(env);
                Process p = pb.start();
                if (Ports.waitUntilListening(p, port)) {
                    return new ServerProcess(name, p, port, log);
                }
                Proc.kill(p.toHandle());
                p.waitFor(10, TimeUnit.SECONDS);
                last = new IOException(name + " did not listen on port " + port + " (exit "
                        + (p.isAlive() ? "none" : p.exitValue()) + "): "
                        + Files.readString(log, StandardCharsets.UTF_8));
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError("cannot start " + name, last);
    }

    int port() {
        return port;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** What the server logged, for failure messages. */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Kills the server and every process it started; idempotent. */
    @Override
    public void close() {
        Proc.kill(process.toHandle());
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError(name + " did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
