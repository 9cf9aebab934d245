package dev.gatekeeper.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a failed read over ssh is sorted: what ssh(1) printed reaches us as JGit's NoRemoteRepositoryException
 * whatever happened, because the stream ended before any ref. The messages are ssh's own (OpenSSH 9.2); the
 * end-to-end case is SshPushGateIT (verify-push while sshd is down).
 */
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

    private RemoteReadException sshSaid(String stderr) {
        return reader.classify(new NoRemoteRepositoryException(uri, stderr));
    }

    @Test
    void aServerThatIsDownOrRestartingIsReadAgain() {
        for (String said : new String[] {"ssh: connect to host 127.0.0.1 port 2222: Connection refused\r\n",
                "kex_exchange_identification: read: Connection reset by peer\r\n"
                        + "Connection reset by 127.0.0.1 port 2222",
                "Connection closed by 127.0.0.1 port 2222\r\n",
                "ssh: Could not resolve hostname git.example: Name or service not known\r\n",
                "ssh: connect to host 10.0.0.1 port 22: No route to host\r\n"}) {
            RemoteReadException r = sshSaid(said);
            assertEquals(RemoteReadException.Kind.UNREACHABLE, r.kind(), said);
            assertTrue(r.kind().retryable(), said);
        }
        RemoteReadException slow = sshSaid("ssh: connect to host 10.0.0.1 port 22: Connection timed out\r\n");
        assertEquals(RemoteReadException.Kind.TIMED_OUT, slow.kind());
    }

    @Test
    void aRepositoryTheServerDoesNotHaveOrAKeyItRefusesIsNotReadAgain() {
        RemoteReadException missing = sshSaid("fatal: '/srv/git/app.git' does not appear to be a git repository\n");
        assertEquals(RemoteReadException.Kind.NO_REPOSITORY, missing.kind());
        assertFalse(sshSaid("git@127.0.0.1: Permission denied (publickey).\r\n").kind().retryable());
        assertFalse(reader.classify(new TransportException(uri, "Host key verification failed.")).kind().retryable());
    }

    @Test
    void sshStillExitingWhenItsOutputEndedIsAFailedReadNotACrash(@TempDir Path tmp) throws Exception {
        // ssh as it fails to connect, slowed down: its output ends well before it exits, and its message comes
        // last (JGit takes the messages and asks the exit status at the end of the output; the real ssh exits a
        // few ms after it, which lost the first race now and then and the second in 1 of 10 reads)
        Path ssh = tmp.resolve("ssh");
        Files.writeString(ssh, "#!/bin/sh\nexec 1>&-\nsleep 1\n"
                + "echo 'ssh: connect to host 127.0.0.1 port 2222: Connection refused' >&2\nexit 255\n");
        assertTrue(ssh.toFile().setExecutable(true));
        GitTransportRefReader viaSsh = new GitTransportRefReader(null, uri, null, 5, "origin (ssh)",
                Map.of("GIT_SSH_COMMAND", "exec " + ssh));

        RemoteReadException e = assertThrows(RemoteReadException.class, () -> viaSsh.tip("refs/heads/main"));

        assertEquals(RemoteReadException.Kind.UNREACHABLE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
    }

    @Test
    void theReasonNamesTheRemoteAsDisplayedWithoutSshsLineEnd() {
        RemoteReadException r = sshSaid("ssh: connect to host 127.0.0.1 port 2222: Connection refused\r\n");
        assertEquals("origin (ssh): ssh: connect to host 127.0.0.1 port 2222: Connection refused", r.getMessage());
    }
}
