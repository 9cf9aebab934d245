package dev.gatekeeper.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** One event as one JSON line, with Jackson's streaming API (the hook path avoids databind's start-up cost). */
public final class EventJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private EventJson() {}

    public static String write(Event e) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("id", e.id());
            g.writeStringField("time", e.time().toString());
            g.writeStringField("type", e.type());
            field(g, "repository", e.repository());
            field(g, "ref", e.ref());
            field(g, "old", e.oldId());
            field(g, "new", e.newId());
            field(g, "pusher", e.pusher());
            field(g, "proof", e.proof());
            field(g, "decision", e.decision());
            field(g, "rule", e.rule());
            field(g, "reason", e.reason());
            if (!e.details().isEmpty()) {
                g.writeObjectFieldStart("details");
                for (Map.Entry<String, String> d : new TreeMap<>(e.details()).entrySet()) {
                    g.writeStringField(d.getKey(), d.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return w.toString();
    }

    /** @throws IOException when the line is not a well-formed event (a torn or foreign line) */
    public static Event read(String line) throws IOException {
        Map<String, String> f = new TreeMap<>();
        Map<String, String> details = new TreeMap<>();
        try (JsonParser p = FACTORY.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if ("details".equals(name) && t == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String k = p.currentName();
                        p.nextToken();
                        details.put(k, p.getValueAsString());
                    }
                } else if (t.isStructStart()) {
                    p.skipChildren();
                } else {
                    f.put(name, t == JsonToken.VALUE_NULL ? null : p.getValueAsString());
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IOException("trailing data after the event");
            }
        }
        String id = f.get("id");
        String time = f.get("time");
        String type = f.get("type");
        if (id == null || time == null || type == null) {
            throw new IOException("an event needs id, time and type");
        }
        Instant at;
        try {
            at = Instant.parse(time);
        } catch (RuntimeException ex) {
            throw new IOException("bad time '" + time + "'");
        }
        return new Event(id, at, type, f.get("repository"), f.get("ref"), f.get("old"), f.get("new"),
                f.get("pusher"), f.get("proof"), f.get("decision"), f.get("rule"), f.get("reason"), details);
    }

    private static void field(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }
}
