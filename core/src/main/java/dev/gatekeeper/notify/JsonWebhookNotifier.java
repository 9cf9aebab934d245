package dev.gatekeeper.notify;

import java.io.IOException;
import java.time.Duration;

/** What every webhook format shares: one JSON POST with a timeout; only the body differs. */
abstract class JsonWebhookNotifier implements Notifier {
    private final JsonPost post;
    private final String kind;

    JsonWebhookNotifier(String kind, String url, Duration timeout) {
        this.kind = kind;
        this.post = new JsonPost(url, timeout);
    }

    /** The JSON this format posts for {@code alert}. */
    abstract String render(Alert alert) throws IOException;

    @Override
    public final void send(Alert alert) throws IOException {
        try {
            post.post(render(alert));
        } catch (IOException e) {
            throw new IOException(kind + " " + e.getMessage(), e);
        }
    }

    @Override
    public final String describe() {
        return post.describe(kind);
    }
}
