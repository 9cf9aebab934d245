package dev.gatekeeper.notify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Slack incoming webhook: {@code text} (what notifications and clients without blocks show) plus Block Kit
 * blocks: a header with the title, the text, and the fields as a two-column section.
 */
public final class SlackNotifier extends JsonWebhookNotifier {
    private static final JsonFactory FACTORY = new JsonFactory();
    /** Slack refuses a section with more than 10 fields. */
    private static final int MAX_FIELDS = 10;

    public SlackNotifier(String url, Duration timeout) {
        super("slack", url, timeout);
    }

    @Override
    String render(Alert alert) throws IOException {
        return body(alert);
    }

    static String body(Alert alert) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("text", icon(alert.severity()) + " " + alert.title() + "\n" + alert.text());
            g.writeArrayFieldStart("blocks");
            g.writeStartObject();
            g.writeStringField("type", "header");
            text(g, "plain_text", icon(alert.severity()) + " " + alert.title());
            g.writeEndObject();
            g.writeStartObject();
            g.writeStringField("type", "section");
            text(g, "mrkdwn", alert.text() + (alert.eventId() == null ? "" : "\n_event " + alert.eventId() + "_"));
            g.writeEndObject();
            if (!alert.fields().isEmpty()) {
                g.writeStartObject();
                g.writeStringField("type", "section");
                g.writeArrayFieldStart("fields");
                int n = 0;
                for (Map.Entry<String, String> f : new TreeMap<>(alert.fields()).entrySet()) {
                    if (n++ == MAX_FIELDS) {
                        break;
                    }
                    g.writeStartObject();
                    g.writeStringField("type", "mrkdwn");
                    g.writeStringField("text", "*" + f.getKey() + "*\n" + f.getValue());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return w.toString();
    }

    private static void text(JsonGenerator g, String type, String text) throws IOException {
        g.writeObjectFieldStart("text");
        g.writeStringField("type", type);
        g.writeStringField("text", text);
        g.writeEndObject();
    }

    static String icon(String severity) {
        return switch (severity) {
            case "critical" -> ":rotating_light:";
            case "warning" -> ":warning:";
            default -> ":information_source:";
        };
    }
}
