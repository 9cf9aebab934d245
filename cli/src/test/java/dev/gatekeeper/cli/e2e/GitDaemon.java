package dev.gatekeeper.cli.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code git daemon} serving (and accepting pushes into) every repository under one folder on 127.0.0.1.
 * Hooks then run in the daemon's environment, not the pusher's, as on a real server. {@link #close()} kills it and
 * every connection it forked.
 */
final class GitDaemon implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/lib/git-core/git-daemon");

    private final Process process;
    private final int port;
    private final Path log;

    private GitDaemon(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts a daemon for {@code baseDir} with {@code env}; returns once its port accepts connections. */
    static GitDaemon start(Map<String, String> env, Path baseDir) {
        return start(env, baseDir, List.of());
    }

    /** Starts the daemon through {@code runAs} (e.g. setpriv as the git server's account): hooks run as that user. */
    static GitDaemon start(Map<String, String> env, Path baseDir, List<String> runAs) {
        String binary = Files.isExecutable(BINARY) ? BINARY.toString() : null;
        IOException last = null;
        for (int attempt = 1; attempt <= 5; attempt++) {
            Path log = null;
            try {
                log = Files.createTempFile(baseDir, "git-daemon", ".log");
                int port = freePort();
                List<String> cmd = binary != null ? List.of(binary) : List.of("git", "daemon");
                List<String> args = new java.util.ArrayList<>(runAs);
                args.addAll(cmd);
                args.addAll(List.of("--reuseaddr", "--listen=127.0.0.1", "--port=" + port,
                        "--base-path=" + baseDir, "--export-all", "--enable=receive-pack", "--informative-errors",
                        baseDir.toString()));
                ProcessBuilder pb = new ProcessBuilder(args).directory(baseDir.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().clear();
                pb.environment().putAll(env);
                Process p = pb.start();
                if (waitForPort(p, port)) {
                    return new GitDaemon(p, port, log);
                }
                Proc.kill(p.toHandle());
                p.waitFor(10, TimeUnit.SECONDS);
                last = new IOException("git daemon did not listen on port " + port + ": "
                        + Files.readString(log, StandardCharsets.UTF_8));
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError("cannot start git daemon", last);
    }

    int port() {
        return port;
    }

    /** {@code git://127.0.0.1:PORT/PATH}, PATH relative to the base folder. */
    String url(String pathUnderBase) {
        return "git://127.0.0.1:" + port + "/" + pathUnderBase;
    }

    /** What the daemon logged, for failure messages. */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        Proc.kill(process.toHandle());
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                fail("git daemon did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean waitForPort(Process p, int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                return false;
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return true;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        return false;
    }
}
