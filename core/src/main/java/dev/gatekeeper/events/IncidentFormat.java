package dev.gatekeeper.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Incidents as text for people and as JSON lines for tools ({@code gatekeeper events incidents [--json]}). */
public final class IncidentFormat {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private IncidentFormat() {}

    /** Two lines per incident: status, kind, start, durations, what; then its event ids. */
    public static String text(List<Incident> incidents) {
        StringBuilder sb = new StringBuilder();
        for (Incident i : incidents) {
            sb.append(String.format(Locale.ROOT, "%-12s %-11s %s  detect %-8s recover %-10s %s%n",
                    i.status().label().toUpperCase(Locale.ROOT), i.kind().label(), TIME.format(i.start()),
                    i.startKnown() ? Incident.format(i.timeToDetect()) : "unknown",
                    i.recovered() == null ? "open" : Incident.format(i.timeToRecover()), i.title()));
            sb.append("             events: ").append(String.join(" ", i.eventIds())).append('\n');
        }
        return sb.toString();
    }

    public static String json(Incident i) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("id", i.id());
            g.writeStringField("kind", i.kind().label());
            g.writeStringField("status", i.status().name().toLowerCase(Locale.ROOT));
            g.writeStringField("title", i.title());
            str(g, "repository", i.repository());
            str(g, "ref", i.ref());
            time(g, "start", i.start());
            g.writeBooleanField("start_known", i.startKnown());
            time(g, "detected", i.detected());
            time(g, "alerted", i.alerted());
            time(g, "recovered", i.recovered());
            millis(g, "time_to_detect_ms", i.timeToDetect());
            millis(g, "time_to_recover_ms", i.timeToRecover());
            g.writeArrayFieldStart("events");
            for (String id : i.eventIds()) {
                g.writeString(id);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void str(JsonGenerator g, String k, String v) throws IOException {
        if (v == null) {
            g.writeNullField(k);
        } else {
            g.writeStringField(k, v);
        }
    }

    private static void time(JsonGenerator g, String k, Instant t) throws IOException {
        str(g, k, t == null ? null : t.toString());
    }

    private static void millis(JsonGenerator g, String k, Duration d) throws IOException {
        if (d == null) {
            g.writeNullField(k);
        } else {
            g.writeNumberField(k, d.toMillis());
        }
    }
}
