package dev.gatekeeper.cli.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Debian's OpenSSH server on 127.0.0.1 for one account ({@link Users#GIT}), as a git server runs it: the client
 * logs in with a key, sshd runs {@code git-receive-pack '/abs/path/app.git'} through the account's shell with the
 * environment sshd builds (nothing from the client: no {@code AcceptEnv}), and the hooks run as that account.
 *
 * <p>Everything is throw-away and in the test's folder: host key, client key, {@code authorized_keys} (named by
 * {@code AuthorizedKeysFile}, so the account's real {@code ~/.ssh} is never touched) and the config. Needs root
 * (sshd switches to the account) and {@code /run/sshd} (its privilege-separation folder).
 */
final class SshServer implements AutoCloseable {
    static final Path SSHD = Path.of("/usr/sbin/sshd");
    static final Path SSH = Path.of("/usr/bin/ssh");
    static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");

    private final ServerProcess process;
    private final Users.Account account;
    private final Path hostKey;
    private final Path authorized;
    private final Path clientKey;

    private SshServer(ServerProcess process, Users.Account account, Path hostKey, Path authorized, Path clientKey) {
        this.process = process;
        this.account = account;
        this.hostKey = hostKey;
        this.authorized = authorized;
        this.clientKey = clientKey;
    }

    /** Starts sshd letting {@code account} in with a fresh key; its files go to {@code dir} (created). */
    static SshServer start(Path dir, Users.Account account) {
        Tools.requireProgram(SSHD, "openssh-server");
        Tools.requireProgram(SSH, "openssh-client");
        Tools.requireProgram(SSH_KEYGEN, "openssh-client");
        try {
            Files.createDirectories(dir);
            Path hostKey = keygen(dir, "host_ed25519");
            Path clientKey = keygen(dir, "client_ed25519");
            Path authorized = dir.resolve("authorized_keys");
            Files.copy(Path.of(clientKey + ".pub"), authorized);
            return launch(dir, account, hostKey, authorized, clientKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A second sshd with the same keys (the same {@link #gitSshCommand()} reaches it), on its own port. */
    SshServer another(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return launch(dir, account, hostKey, authorized, clientKey);
    }

    private static SshServer launch(Path dir, Users.Account account, Path hostKey, Path authorized, Path clientKey) {
        try {
            Files.createDirectories(Path.of("/run/sshd")); // sshd refuses to start without it
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path config = dir.resolve("sshd_config");
        Map<String, String> env = Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL", "C.UTF-8");
        ServerProcess p = ServerProcess.start("sshd", dir, env, port -> {
            write(config, String.join("\n",
                    "ListenAddress 127.0.0.1",
                    "Port " + port,
                    "HostKey " + hostKey,
                    "PidFile none",
                    "AuthorizedKeysFile " + authorized,
                    // the key files live in a JUnit temp folder, not in a home sshd would check
                    "StrictModes no",
                    "AllowUsers " + account.name(),
                    "PubkeyAuthentication yes",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    // pam_unix lets a locked system account (password "!", as useradd --system makes it) log in
                    // with a key, as on a real git server; without PAM sshd refuses locked accounts
                    "UsePAM yes",
                    "PermitRootLogin no",
                    "UseDNS no",
                    "PrintMotd no",
                    "MaxStartups 64",
                    "LogLevel VERBOSE",
                    ""));
            return List.of(SSHD.toString(), "-D", "-e", "-f", config.toString());
        });
        return new SshServer(p, account, hostKey, authorized, clientKey);
    }

    private static Path keygen(Path dir, String name) {
        Path key = dir.resolve(name);
        Proc.run(dir, Map.of("PATH", "/usr/bin:/bin"), null, Proc.DEFAULT_TIMEOUT, List.of(SSH_KEYGEN.toString(),
                "-q", "-t", "ed25519", "-N", "", "-C", "gatekeeper-e2e", "-f", key.toString())).expectOk();
        return key;
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code GIT_SSH_COMMAND} for git and for gatekeeper (verify-push, stabilize): this key only, no config file,
     * no known hosts (the host key is new each run), never a prompt.
     */
    String gitSshCommand() {
        return SSH + " -F /dev/null -i " + clientKey + " -o IdentitiesOnly=yes -o StrictHostKeyChecking=no"
                + " -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR";
    }

    /** {@code ssh://ACCOUNT@127.0.0.1:PORT/abs/path/app.git}: an absolute-path URL, as for a plain git server. */
    String url(Path gitDir) {
        return "ssh://" + account.name() + "@127.0.0.1:" + process.port() + gitDir.toAbsolutePath();
    }

    int port() {
        return process.port();
    }

    String log() {
        return process.log();
    }

    @Override
    public void close() {
        process.close();
    }
}
