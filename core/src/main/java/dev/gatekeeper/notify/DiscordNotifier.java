package dev.gatekeeper.notify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Discord webhook: {@code content} with the title, one embed with the text, a colour by severity and the fields
 * (inline). Discord allows at most 25 fields per embed and 2000 characters of content.
 */
public final class DiscordNotifier extends JsonWebhookNotifier {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final int MAX_FIELDS = 25;

    public DiscordNotifier(String url, Duration timeout) {
        super("discord", url, timeout);
    }

    @Override
    String render(Alert alert) throws IOException {
        return body(alert);
    }

    static String body(Alert alert) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("content", clip("**" + alert.title() + "**", 2000));
            g.writeArrayFieldStart("embeds");
            g.writeStartObject();
            g.writeStringField("title", clip(alert.title(), 256));
            g.writeStringField("description", clip(alert.text(), 4096));
            g.writeNumberField("color", color(alert.severity()));
            if (alert.eventId() != null) {
                g.writeObjectFieldStart("footer");
                g.writeStringField("text", "event " + alert.eventId());
                g.writeEndObject();
            }
            g.writeArrayFieldStart("fields");
            int n = 0;
            for (Map.Entry<String, String> f : new TreeMap<>(alert.fields()).entrySet()) {
                if (n++ == MAX_FIELDS) {
                    break;
                }
                g.writeStartObject();
                g.writeStringField("name", clip(f.getKey(), 256));
                g.writeStringField("value", clip(f.getValue().isEmpty() ? "-" : f.getValue(), 1024));
                g.writeBooleanField("inline", true);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        }
        return w.toString();
    }

    private static int color(String severity) {
        return switch (severity) {
            case "critical" -> 0xD7263D;
            case "warning" -> 0xF5A623;
            default -> 0x2E86DE;
        };
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
