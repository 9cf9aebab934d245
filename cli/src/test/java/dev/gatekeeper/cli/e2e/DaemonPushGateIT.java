package dev.gatekeeper.cli.e2e;

import java.nio.file.Path;

/**
 * The push-gate contract over {@code git://} on 127.0.0.1: a real {@code git daemon} runs receive-pack and the hook
 * in its own environment (nothing from the pusher's), so the pipeline secret can only come from
 * {@code $GIT_DIR/gatekeeper/pipeline.secret}. Hooks installed with {@code --no-cds}.
 */
class DaemonPushGateIT extends PushGateContract {
    private GitDaemon daemon;

    @Override
    boolean withCds() {
        return false;
    }

    @Override
    String openTransport(Path root, GitServer server) {
        daemon = GitDaemon.start(env, server.gitDir().getParent());
        return daemon.url(server.gitDir().getFileName().toString());
    }

    @Override
    String derivedRepositoryName() {
        return "app";
    }

    @Override
    void closeTransport() {
        if (daemon != null) {
            daemon.close();
        }
    }
}
