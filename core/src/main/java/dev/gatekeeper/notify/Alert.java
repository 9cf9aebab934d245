package dev.gatekeeper.notify;

import java.util.Map;
import java.util.TreeMap;

/**
 * Something a human must hear about. {@code severity} is {@code info}, {@code warning} or {@code critical}.
 * {@code fields} are shown as a small table by chat formats and sent as-is by the generic JSON webhook.
 */
public record Alert(String severity, String title, String text, String eventId, Map<String, String> fields) {
    public Alert {
        fields = fields == null ? Map.of() : Map.copyOf(new TreeMap<>(fields));
    }
}
