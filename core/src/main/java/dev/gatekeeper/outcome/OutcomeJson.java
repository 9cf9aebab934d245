package dev.gatekeeper.outcome;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * The one JSON writer of every command's outcome ({@code --json}, the Action's report file). One key style for the
 * whole project: <b>snake_case</b> ({@code branch_tip}, {@code alerts_sent}); every key of a report is always
 * present, {@code null} when it does not apply, so a reader needs no schema per verdict. The outcome's own fields
 * come first, then the report's components in their order:
 *
 * <pre>{"command": "stabilize", "verdict": "recovered", "exit": 5, "summary": "…", "warnings": [], …report…}</pre>
 *
 * Values: records are objects (their components, snake_case), lists are arrays, maps are objects (keys as they
 * are: they are data), {@link Wire} values their word, other enums their name in kebab-case, paths and instants
 * text. Streaming Jackson and plain reflection over records: no databind start-up on the verify-push path.
 */
public final class OutcomeJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private OutcomeJson() {}

    /** The outcome of {@code command} as one JSON object (no trailing newline). */
    public static String write(String command, Outcome<?> outcome) {
        StringWriter w = new StringWriter(512);
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("command", command);
            g.writeStringField("verdict", outcome.verdict().wire());
            g.writeNumberField("exit", outcome.exitCode().code());
            g.writeStringField("summary", outcome.summary());
            g.writeArrayFieldStart("warnings");
            for (String warning : outcome.warnings()) {
                g.writeString(warning);
            }
            g.writeEndArray();
            if (outcome.report() != null) {
                if (!outcome.report().getClass().isRecord()) {
                    throw new IllegalArgumentException("a report is a record: " + outcome.report().getClass());
                }
                components(g, (Record) outcome.report());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** {@code branchTip} → {@code branch_tip}. */
    public static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    private static void components(JsonGenerator g, Record r) throws IOException {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            g.writeFieldName(snake(c.getName()));
            value(g, read(c, r));
        }
    }

    private static Object read(RecordComponent c, Record r) {
        try {
            c.getAccessor().setAccessible(true);
            return c.getAccessor().invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + c, e);
        }
    }

    private static void value(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Number n) {
            g.writeNumber(n.doubleValue());
        } else if (v instanceof Wire wire) {
            g.writeString(wire.wire());
        } else if (v instanceof Enum<?> e) {
            g.writeString(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        } else if (v instanceof Path || v instanceof Instant) {
            g.writeString(v.toString());
        } else if (v instanceof Record r) {
            g.writeStartObject();
            components(g, r);
            g.writeEndObject();
        } else if (v instanceof Collection<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                value(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                value(g, e.getValue());
            }
            g.writeEndObject();
        } else {
            throw new IllegalArgumentException("no JSON form for " + v.getClass().getName());
        }
    }
}
