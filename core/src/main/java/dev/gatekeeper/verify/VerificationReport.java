package dev.gatekeeper.verify;

/**
 * A verification as one human line: the summary of verify-push's outcome in every packaging, so the CLI, a Jenkins
 * step and the GitHub Action say the same thing in the same words (the JSON is {@link VerifyPushReport}'s).
 */
public final class VerificationReport {
    private VerificationReport() {}

    /** E.g. {@code verified: origin (…) refs/heads/main 1a2b3c4d5e6f..9f8e7d6c5b4a holds 9f8e7d6c5b4a [1 read, 41 ms]}. */
    public static String line(Verification v) {
        StringBuilder sb = new StringBuilder();
        switch (v.verdict()) {
            case VERIFIED -> sb.append("verified: ");
            case NOT_VERIFIED -> sb.append("NOT VERIFIED: ");
            default -> sb.append("INCONCLUSIVE: ");
        }
        sb.append(v.remote()).append(' ').append(v.ref());
        if (v.verdict() == Verdict.VERIFIED) {
            if (v.expectation().mustMove()) {
                sb.append(" moved ").append(v.before() == null ? "(new)" : Expectation.abbrev(v.before())).append("..")
                        .append(Expectation.abbrev(v.after()));
            } else {
                sb.append(" is at ").append(Expectation.abbrev(v.after()));
            }
            if (v.expectation().commit() != null) {
                sb.append(v.expectation().contains() ? ", contains " : ", as expected ")
                        .append(Expectation.abbrev(v.expectation().commit()));
            }
        } else {
            sb.append(": ").append(v.reason());
        }
        int reads = v.verifyAttempts();
        sb.append(" [").append(reads).append(reads == 1 ? " read, " : " reads, ")
                .append(VerifyPushCommand.millis(v.elapsed().toMillis()));
        if (v.agent() != null) {
            sb.append(", agent exit ").append(v.agent().exitCode());
        }
        return sb.append(']').toString();
    }
}
