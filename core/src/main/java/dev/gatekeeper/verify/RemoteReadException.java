package dev.gatekeeper.verify;

import java.time.Instant;
import java.util.Optional;

/**
 * The remote could not be read. Never a verdict by itself: verify-push retries what may pass and otherwise says
 * "inconclusive", because an unreachable remote proves neither that the push arrived nor that it did not.
 */
public final class RemoteReadException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the read failed; decides whether another attempt can help. */
    public enum Kind {
        /** Connection refused or reset, DNS failure, server error (5xx): may pass, retried. */
        UNREACHABLE(true),
        /** The read did not finish in time: retried while the deadline allows. */
        TIMED_OUT(true),
        /** The service asked us to wait (rate limit, Retry-After): retried after that time if within the deadline. */
        RATE_LIMITED(true),
        /**
         * An answer the service never gives (truncated, empty, a list where one object belongs, a field of the wrong
         * type): not an answer, so never a "no"; it may come from a proxy or a cut connection, so it is retried.
         */
        BAD_ANSWER(true),
        /** Credentials missing, wrong or without access: another attempt gives the same answer. */
        AUTH_FAILED(false),
        /** No such repository (or no permission to see it): another attempt gives the same answer. */
        NO_REPOSITORY(false);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private final Kind kind;
    private final transient Instant retryAt;

    public RemoteReadException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public RemoteReadException(Kind kind, String message, Throwable cause) {
        this(kind, message, null, cause);
    }

    /** @param retryAt when the service said it will answer again (rate limits), or null */
    public RemoteReadException(Kind kind, String message, Instant retryAt, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.retryAt = retryAt;
    }

    public Kind kind() {
        return kind;
    }

    public Optional<Instant> retryAt() {
        return Optional.ofNullable(retryAt);
    }
}
