package dev.gatekeeper.notify;

import dev.gatekeeper.verify.Backoff;
import java.io.IOException;

/**
 * Tries a notifier up to {@code attempts} times with capped backoff between tries. Chat webhooks drop requests
 * now and then (429, 5xx, a reset connection); one retry saves most of them, and the caller bounds the total by
 * the attempts and each try's own timeout.
 */
public final class RetryingNotifier implements Notifier {
    private final Notifier delegate;
    private final int attempts;
    private final Backoff backoff;

    public RetryingNotifier(Notifier delegate, int attempts, Backoff backoff) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
        this.delegate = delegate;
        this.attempts = attempts;
        this.backoff = backoff;
    }

    @Override
    public void send(Alert alert) throws IOException {
        IOException last = null;
        for (int n = 1; n <= attempts; n++) {
            try {
                delegate.send(alert);
                return;
            } catch (IOException e) {
                last = e;
            }
            if (n < attempts) {
                try {
                    Thread.sleep(backoff.delay(n).toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new IOException(last.getMessage() + " (after " + attempts + " attempt" + (attempts == 1 ? "" : "s")
                + ")", last);
    }

    @Override
    public String describe() {
        return delegate.describe();
    }
}
