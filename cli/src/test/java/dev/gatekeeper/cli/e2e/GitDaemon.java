package dev.gatekeeper.cli.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real {@code git daemon} serving (and accepting pushes into) every repository under one folder on 127.0.0.1.
 * Hooks then run in the daemon's environment, not the pusher's, as on a real server. {@link #close()} kills it and
 * every connection it forked.
 */
final class GitDaemon implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/lib/git-core/git-daemon");

    private final ServerProcess server;

    private GitDaemon(ServerProcess server) {
        this.server = server;
    }

    /** Starts a daemon for {@code baseDir} with {@code env}; returns once its port accepts connections. */
    static GitDaemon start(Map<String, String> env, Path baseDir) {
        return start(env, baseDir, List.of());
    }

    /** Starts the daemon through {@code runAs} (e.g. setpriv as the git server's account): hooks run as that user. */
    static GitDaemon start(Map<String, String> env, Path baseDir, List<String> runAs) {
        List<String> binary = Files.isExecutable(BINARY) ? List.of(BINARY.toString()) : List.of("git", "daemon");
        return new GitDaemon(ServerProcess.start("git-daemon", baseDir, env, port -> {
            List<String> args = new ArrayList<>(runAs);
            args.addAll(binary);
            args.addAll(List.of("--reuseaddr", "--listen=127.0.0.1", "--port=" + port, "--base-path=" + baseDir,
                    "--export-all", "--enable=receive-pack", "--informative-errors", baseDir.toString()));
            return args;
        }));
    }

    int port() {
        return server.port();
    }

    /** {@code git://127.0.0.1:PORT/PATH}, PATH relative to the base folder. */
    String url(String pathUnderBase) {
        return "git://127.0.0.1:" + port() + "/" + pathUnderBase;
    }

    /** What the daemon logged, for failure messages. */
    String log() {
        return server.log();
    }

    @Override
    public void close() {
        server.close();
    }
}
