package dev.gatekeeper.verify;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RemoteSession;
import org.eclipse.jgit.transport.RemoteSession2;
import org.eclipse.jgit.transport.SshSessionFactory;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.util.FS;

/**
 * SSH through the system's {@code ssh}, as git itself does: the user's keys, agent, known_hosts and
 * {@code ~/.ssh/config} apply, and JGit needs no SSH library. {@code $GIT_SSH_COMMAND} (run by {@code sh}) or
 * {@code $GIT_SSH} replaces {@code ssh}. BatchMode: verify-push runs unattended, so a password or host-key prompt
 * must fail (inconclusive), never wait for a person. {@code GIT_PROTOCOL} is passed on so the server speaks
 * protocol v2.
 */
final class ExternalSshSessionFactory extends SshSessionFactory {
    private final Map<String, String> env;

    ExternalSshSessionFactory(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public RemoteSession getSession(URIish uri, CredentialsProvider credentials, FS fs, int timeoutSeconds) {
        return new Session(uri, timeoutSeconds);
    }

    @Override
    public String getType() {
        return "gatekeeper-external-ssh";
    }

    private final class Session implements RemoteSession2 {
        private final URIish uri;
        private final int timeoutSeconds;

        Session(URIish uri, int timeoutSeconds) {
            this.uri = uri;
            this.timeoutSeconds = timeoutSeconds;
        }

        @Override
        public Process exec(String command, int timeout) throws IOException {
            return exec(command, Map.of(), timeout);
        }

        @Override
        public Process exec(String command, Map<String, String> environment, int timeout) throws IOException {
            List<String> args = new ArrayList<>();
            String sshCommand = env.get("GIT_SSH_COMMAND");
            String ssh = env.get("GIT_SSH");
            if (sshCommand != null && !sshCommand.isBlank()) {
                args.add("sh");
                args.add("-c");
                args.add(sshCommand + " \"$@\"");
                args.add("ssh");
            } else {
                args.add(ssh != null && !ssh.isBlank() ? ssh : "ssh");
            }
            args.add("-o");
            args.add("BatchMode=yes");
            if (timeoutSeconds > 0) {
                args.add("-o");
                args.add("ConnectTimeout=" + timeoutSeconds);
            }
            if (environment.containsKey("GIT_PROTOCOL")) {
                args.add("-o");
                args.add("SendEnv=GIT_PROTOCOL");
            }
            if (uri.getPort() > 0) {
                args.add("-p");
                args.add(Integer.toString(uri.getPort()));
            }
            args.add(uri.getUser() != null ? uri.getUser() + "@" + uri.getHost() : uri.getHost());
            args.add(command);
            ProcessBuilder pb = new ProcessBuilder(args);
            pb.environment().putAll(environment);
            try {
                return new ExitingProcess(pb.start(), Math.max(1, timeoutSeconds));
            } catch (IOException e) {
                throw new TransportException(uri, "cannot run ssh: " + e.getMessage(), e);
            }
        }

        @Override
        public void disconnect() {
            // each exec is its own ssh process; JGit closes it with the connection
        }
    }

    /**
     * ssh's process as JGit reads it when ssh could not reach the server. JGit meets the end of ssh's output, takes
     * the error messages it has copied from ssh's stderr so far (in a thread of its own) and asks
     * {@code exitValue()} (TransportGitSsh's fetch and push connections, to tell "command not found" from "no
     * repository"), all while ssh may still be exiting. With a plain Process, exitValue() then threw
     * IllegalThreadStateException, which verify-push reported as an internal error (exit 1) instead of
     * inconclusive; and the message ("Connection refused") was missing from 9 of 100 reads of a closed port, so
     * the failure read as "not found" and was not retried. Here the end of the output reaches JGit only once ssh
     * has exited and its stderr has been read to the end (at most the read's timeout, then ssh is killed, and 1 s
     * for stderr).
     */
    static final class ExitingProcess extends Process {
        private final Process ssh;
        private final int timeoutSeconds;
        private final CountDownLatch stderrRead = new CountDownLatch(1);
        private final InputStream out;
        private final InputStream err;

        ExitingProcess(Process ssh, int timeoutSeconds) {
            this.ssh = ssh;
            this.timeoutSeconds = timeoutSeconds;
            this.out = new FilterInputStream(ssh.getInputStream()) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    return b < 0 ? ended(b) : b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    return n < 0 ? ended(n) : n;
                }
            };
            this.err = new FilterInputStream(ssh.getErrorStream()) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b < 0) {
                        stderrRead.countDown();
                    }
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n < 0) {
                        stderrRead.countDown();
                    }
                    return n;
                }

                @Override
                public void close() throws IOException {
                    stderrRead.countDown();
                    super.close();
                }
            };
        }

        /** ssh's output ended: let ssh exit and its messages be read before JGit sees the end. */
        private int ended(int eof) {
            try {
                if (waitForExit()) {
                    stderrRead.await(1, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return eof;
        }

        private boolean waitForExit() throws InterruptedException {
            if (!ssh.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                ssh.destroyForcibly().waitFor(timeoutSeconds, TimeUnit.SECONDS);
                return false;
            }
            return true;
        }

        @Override
        public int exitValue() {
            try {
                waitForExit();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ssh.exitValue();
        }

        @Override
        public OutputStream getOutputStream() {
            return ssh.getOutputStream();
        }

        @Override
        public InputStream getInputStream() {
            return out;
        }

        @Override
        public InputStream getErrorStream() {
            return err;
        }

        @Override
        public int waitFor() throws InterruptedException {
            return ssh.waitFor();
        }

        @Override
        public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
            return ssh.waitFor(timeout, unit);
        }

        @Override
        public boolean isAlive() {
            return ssh.isAlive();
        }

        @Override
        public void destroy() {
            ssh.destroy();
        }

        @Override
        public Process destroyForcibly() {
            ssh.destroyForcibly();
            return this;
        }

        @Override
        public long pid() {
            return ssh.pid();
        }

        @Override
        public ProcessHandle toHandle() {
            return ssh.toHandle();
        }
    }
}
