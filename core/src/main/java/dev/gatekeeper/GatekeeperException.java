package dev.gatekeeper;

/** A failure that knows which exit code it maps to and carries a one-line reason for the user. */
public class GatekeeperException extends Exception {
    private static final long serialVersionUID = 1L;
    private final ExitCode exitCode;

    public GatekeeperException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public GatekeeperException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
