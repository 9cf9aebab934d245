package dev.gatekeeper.cli.e2e;

import static dev.gatekeeper.cli.e2e.Pushes.assertRefusedByGate;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push-gate contract over ssh: Debian's sshd on 127.0.0.1 lets the git account in with a key, and runs
 * {@code git-receive-pack} and the hooks as that account in the environment sshd builds. The URL names the
 * repository by its absolute path ({@code ssh://gkgit@127.0.0.1:PORT/…/srv/app.git}), as on a plain git server, so a
 * token minted without {@code --repo} names that path, which the gate accepts as the repository's second name.
 * Hooks installed with the class-data-sharing archive.
 */
class SshPushGateIT extends ServedPushGateContract {
    private SshServer sshd;

    @Override
    boolean withCds() {
        return true;
    }

    @Override
    String openTransport(Path root, GitServer server) {
        sshd = SshServer.start(root.resolve("sshd"), owner());
        return sshd.url(server.gitDir());
    }

    /** main also lands for the pusher Gitolite would name ci-bot (GL_USER): only sshd's side may set it. */
    @Override
    Path policy(Path dir) {
        return Policies.withPipelinePusher(dir, "GL_USER", "ci-bot");
    }

    @Override
    Map<String, String> transportEnv() {
        return Map.of("GIT_SSH_COMMAND", sshd.gitSshCommand());
    }

    @Override
    Another openAnother(Path dir) {
        SshServer other = sshd.another(dir);
        return new Another(other.url(server.gitDir()), other);
    }

    @Override
    String derivedRepositoryName() {
        return server.absolutePathName();
    }

    @Override
    void closeTransport() {
        if (sshd != null) {
            sshd.close();
        }
    }

    @Test
    void variablesTheClientSendsNeverReachTheHook(@TempDir Path tmp) {
        // each would let main move if the hook saw it: a policy that protects nothing, the pipeline's pusher, a
        // "verified" signed push
        Path lax = Policies.write(tmp, "lax.yaml", "version: 1\nprotected: []\n");
        Users.openUp(tmp); // readable by the git account: only sshd's refusal to pass it on keeps it out
        Path work = cloneOf(tmp);
        String before = server.main();
        git.commit(work, "env.txt", "sent along\n", "a direct push dressed up");
        String sending = sshd.gitSshCommand() + " -o SetEnv=GATEKEEPER_POLICY=" + lax + " -o SetEnv=GL_USER=ci-bot"
                + " -o SendEnv=GATEKEEPER_* -o SendEnv=GL_* -o SendEnv=GIT_PUSH_CERT_*";

        Proc.Result r = git.runWithEnv(work, Map.of("GIT_SSH_COMMAND", sending, "GATEKEEPER_POLICY", lax.toString(),
                "GL_USER", "ci-bot", "GIT_PUSH_CERT_STATUS", "G"), "push", url(), "HEAD:main");

        String id = assertRefusedByGate(r, MAIN, MAIN);
        Pushes.assertNotContains(r, "ci-bot");
        assertEquals(before, server.main());
        assertEquals(Users.GIT, server.requireEvent(id).path("pusher").asText(),
                "sshd sets the hook's environment (USER), not the client");
    }
}
