package dev.gatekeeper.verify;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads over ssh that fail: the end-to-end case is SshPushGateIT (verify-push while sshd is down). */
class GitTransportRefReaderTest {
    private final URIish uri = uri("ssh://git@127.0.0.1:2222/srv/git/app.git");
    private final GitTransportRefReader reader = new GitTransportRefReader(null, uri, null, 5, "origin (ssh)",
            Map.of());

    private static URIish uri(String s) {
        try {
            return new URIish(s);
        } catch (java.net.URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void sshStillExitingWhenItsOutputEndedIsAFailedReadNotACrash(@TempDir Path tmp) throws Exception {
        // ssh as it fails to connect, slowed down: its output ends well before it exits (JGit asks its exit status
        // in between; the real ssh exits a few ms later, which lost that race on every read but the first)
        Path ssh = tmp.resolve("ssh");
        Files.writeString(ssh, "#!/bin/sh\necho 'ssh: connect to host 127.0.0.1 port 2222: Connection refused' >&2\n"
                + "exec 1>&- 2>&-\nsleep 1\nexit 255\n");
        assertTrue(ssh.toFile().setExecutable(true));
        GitTransportRefReader viaSsh = new GitTransportRefReader(null, uri, null, 5, "origin (ssh)",
                Map.of("GIT_SSH_COMMAND", "exec " + ssh));

        RemoteReadException e = assertThrows(RemoteReadException.class, () -> viaSsh.tip("refs/heads/main"));

        assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
    }
}
