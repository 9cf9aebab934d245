package dev.gatekeeper.events;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/** Renders events as a human timeline: one line per event, details indented below when asked. */
public final class Timeline {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private Timeline() {}

    public static String line(Event e) {
        StringBuilder sb = new StringBuilder();
        sb.append(TIME.format(e.time())).append("  ").append(pad(e.type(), 17));
        if (e.ref() != null) {
            sb.append(' ').append(e.ref());
        }
        if (e.oldId() != null && e.newId() != null) {
            sb.append(' ').append(abbrev(e.oldId())).append("..").append(abbrev(e.newId()));
        }
        if (e.pusher() != null) {
            sb.append(" by ").append(e.pusher());
        }
        if (e.proof() != null && !"none".equals(e.proof())) {
            sb.append(" [").append(e.proof()).append(']');
        }
        if (e.reason() != null) {
            sb.append(": ").append(e.reason());
        }
        sb.append("  (").append(e.id()).append(')');
        return sb.toString();
    }

    /** Every field, for {@code events show}. */
    public static String full(Event e) {
        StringBuilder sb = new StringBuilder();
        row(sb, "id", e.id());
        row(sb, "time", e.time().toString());
        row(sb, "type", e.type());
        row(sb, "repository", e.repository());
        row(sb, "ref", e.ref());
        row(sb, "old", e.oldId());
        row(sb, "new", e.newId());
        row(sb, "pusher", e.pusher());
        row(sb, "proof", e.proof());
        row(sb, "decision", e.decision());
        row(sb, "rule", e.rule());
        row(sb, "reason", e.reason());
        for (Map.Entry<String, String> d : e.details().entrySet()) {
            row(sb, d.getKey(), d.getValue());
        }
        return sb.toString();
    }

    public static String render(List<Event> events) {
        StringBuilder sb = new StringBuilder();
        for (Event e : events) {
            sb.append(line(e)).append('\n');
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String k, String v) {
        if (v != null) {
            sb.append(pad(k, 11)).append(' ').append(v).append('\n');
        }
    }

    private static String pad(String s, int n) {
        StringBuilder sb = new StringBuilder(s);
        while (sb.length() < n) {
            sb.append(' ');
        }
        return sb.toString();
    }

    private static String abbrev(String id) {
        return id.length() > 7 ? id.substring(0, 7) : id;
    }
}
