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
        // the client's default branch name may be master: the workspace is on main like the server
        git.git(workspace, "branch", "-M", "main");
    }

    /**
     * A pre-receive hook on the server that records the push options each push carries (one per line), as the
     * gate receives them; the server advertises push options like a gate-protected one.
     */
    Path recordPushOptions(Path file) throws java.io.IOException {
        git.git(server, "config", "receive.advertisePushOptions", "true");
        Path hook = server.resolve("hooks/pre-receive");
        java.nio.file.Files.writeString(hook, "#!/bin/sh\ni=0\nwhile [ $i -lt \"${GIT_PUSH_OPTION_COUNT:-0}\" ]; do\n"
                + "  eval \"echo \\\"\\$GIT_PUSH_OPTION_$i\\\"\" >> '" + file + "'\n  i=$((i+1))\ndone\n");
        java.nio.file.Files.setPosixFilePermissions(hook,
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
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
