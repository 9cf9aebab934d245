package dev.gatekeeper;

/**
 * The exit codes every Gatekeeper command returns. They are part of the public contract: scripts, cron jobs,
 * Jenkins steps and the GitHub Action all branch on them, so a code never changes meaning.
 */
public enum ExitCode {
    OK(0, "ok: allowed, verified, healthy or clean"),
    INTERNAL_ERROR(1, "internal error (a bug; the message says where)"),
    USAGE(2, "usage or configuration error (bad option, malformed policy or input)"),
    REFUSED(3, "the check said no: push refused, push not verified, drift found"),
    INCONCLUSIVE(4, "inconclusive: remote unreachable, authentication failed, timed out, nothing to judge by"),
    RECOVERED(5, "acted and recovered: a revert was pushed and the service is healthy again"),
    ACTION_FAILED(6, "acted and failed: a human must act");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    /** One line per code, for {@code --help} footers and the README. */
    public static String table() {
        StringBuilder sb = new StringBuilder();
        for (ExitCode c : values()) {
            sb.append("  ").append(c.code).append("  ").append(c.meaning).append('\n');
        }
        return sb.toString();
    }
}
