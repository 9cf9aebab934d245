package dev.gatekeeper.notify;

import java.io.IOException;

/** Delivers alerts. Implementations time out and never block the action that caused the alert for long. */
public interface Notifier {
    /** @throws IOException when the alert was not accepted (unreachable, timed out, non-2xx) */
    void send(Alert alert) throws IOException;

    /** Where it sends, without secrets (no query string, no path tokens), for messages and events. */
    String describe();
}
