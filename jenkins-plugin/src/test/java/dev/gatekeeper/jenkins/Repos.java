package dev.gatekeeper.jenkins;

import dev.gatekeeper.verify.Git;
import java.nio.file.Path;

/**
 * A bare "server" on file:// and a workspace clone of it with one commit on main, made with the real git binary
 * through core's isolated harness (own HOME, no system config, fixed identities).
 */
final class Repos {
    final Git git;
    final Path server;
    final Path workspace;

    Repos(Path tmp) {
        git = new Git(tmp.resolve("home"));
        server = git.bare(tmp.resolve("app.git"));
        workspace = git.seededClone(server.toUri().toString(), tmp.resolve("workspace"));
    }

    String serverTip() {
        return git.git(server, "rev-parse", "refs/heads/main");
    }

    String head() {
        return git.git(workspace, "rev-parse", "HEAD");
    }

    FakeStepContext context() throws Exception {
        return new FakeStepContext(workspace, git.env());
    }
}
