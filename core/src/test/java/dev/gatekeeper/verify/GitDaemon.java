package dev.gatekeeper.verify;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code git daemon} on 127.0.0.1 serving (and accepting pushes to) every repository under a folder, on a
 * free port; started when it accepts connections, killed on close. Extra environment (GIT_TRACE_PACKET) reaches
 * the upload-pack processes it spawns, which is how tests see what the client asked for.
 */
public final class GitDaemon implements AutoCloseable {
    public static final String BINARY = "/usr/lib/git-core/git-daemon";

    private final Process process;
    private final int port;

    public GitDaemon(Git git, Path base, Map<String, String> extraEnv) {
        this.port = freePort();
        ProcessBuilder pb = new ProcessBuilder(List.of(BINARY, "--reuseaddr", "--listen=127.0.0.1",
                "--port=" + port, "--base-path=" + base, "--export-all", "--enable=receive-pack", base.toString()));
        pb.environment().clear();
        pb.environment().putAll(git.env());
        pb.environment().putAll(extraEnv);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > until) {
                    close();
                    throw new AssertionError("git daemon did not start on port " + port);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** git://127.0.0.1:PORT/NAME */
    public String url(String name) {
        return "git://127.0.0.1:" + port + "/" + name;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
