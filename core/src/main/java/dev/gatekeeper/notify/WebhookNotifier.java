package dev.gatekeeper.notify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A generic JSON webhook: {@code POST} of {@code {"source":"gatekeeper","severity":…,"title":…,"text":…,
 * "event":…,"time":…,"fields":{…}}}. Any 2xx is success.
 */
public final class WebhookNotifier extends JsonWebhookNotifier {
    private static final JsonFactory FACTORY = new JsonFactory();

    public WebhookNotifier(String url, Duration timeout) {
        super("webhook", url, timeout);
    }

    @Override
    String render(Alert alert) throws IOException {
        return body(alert);
    }

    static String body(Alert alert) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("source", "gatekeeper");
            g.writeStringField("severity", alert.severity());
            g.writeStringField("title", alert.title());
            g.writeStringField("text", alert.text());
            if (alert.eventId() != null) {
                g.writeStringField("event", alert.eventId());
            }
            g.writeStringField("time", Instant.now().toString());
            g.writeObjectFieldStart("fields");
            for (Map.Entry<String, String> f : alert.fields().entrySet()) {
                g.writeStringField(f.getKey(), f.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        return w.toString();
    }
}
