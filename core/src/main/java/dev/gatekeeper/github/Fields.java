package dev.gatekeeper.github;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the fields of a GitHub answer strictly: a field a verdict rests on must be there with the type GitHub gives
 * it, or the answer is not GitHub's and not an answer ({@link WrongShape}). Optional fields may be absent or
 * {@code null}; when present they must have their type too. {@link GitHubApi.Answer#read} turns a wrong shape into
 * an inconclusive read that names the field.
 */
public final class Fields {
    private Fields() {}

    /** The answer is not shaped as GitHub shapes it; the message names the field and what it found. */
    public static final class WrongShape extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public WrongShape(String message) {
            super(message);
        }
    }

    /** The node itself must be an object ({@code what} names it in the message). */
    public static JsonNode asObject(JsonNode n, String what) {
        if (n == null || !n.isObject()) {
            throw new WrongShape(what + " is " + describe(n) + ", not an object");
        }
        return n;
    }

    /** The node itself must be a list. */
    public static JsonNode asArray(JsonNode n, String what) {
        if (n == null || !n.isArray()) {
            throw new WrongShape(what + " is " + describe(n) + ", not a list");
        }
        return n;
    }

    public static JsonNode object(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || !n.isObject()) {
            throw wrong(field, n, "an object");
        }
        return n;
    }

    /** @return null when absent or {@code null} */
    public static JsonNode optionalObject(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw wrong(field, n, "an object");
        }
        return n;
    }

    public static JsonNode array(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || !n.isArray()) {
            throw wrong(field, n, "a list");
        }
        return n;
    }

    /** @return null when absent or {@code null} */
    public static JsonNode optionalArray(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw wrong(field, n, "a list");
        }
        return n;
    }

    public static String text(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || !n.isTextual()) {
            throw wrong(field, n, "a string");
        }
        return n.asText();
    }

    /** @return null when absent or {@code null} */
    public static String optionalText(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw wrong(field, n, "a string");
        }
        return n.asText();
    }

    public static boolean bool(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || !n.isBoolean()) {
            throw wrong(field, n, "true or false");
        }
        return n.booleanValue();
    }

    /** @return null when absent or {@code null} */
    public static Boolean optionalBool(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isBoolean()) {
            throw wrong(field, n, "true or false");
        }
        return n.booleanValue();
    }

    public static long number(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
            throw wrong(field, n, "a whole number");
        }
        return n.longValue();
    }

    /** @return null when absent or {@code null} */
    public static Long optionalNumber(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw wrong(field, n, "a whole number");
        }
        return n.longValue();
    }

    /** A field's text, which must also match {@code regex} (e.g. an object id). */
    public static String text(JsonNode parent, String field, String regex, String expected) {
        String s = text(parent, field);
        if (!s.matches(regex)) {
            throw new WrongShape("'" + field + "' is '" + abbrev(s) + "', not " + expected);
        }
        return s;
    }

    private static WrongShape wrong(String field, JsonNode found, String expected) {
        return new WrongShape(found == null ? "'" + field + "' is missing (" + expected + " expected)"
                : "'" + field + "' is " + describe(found) + ", not " + expected);
    }

    /** "a string", "a number", "null", … for messages. */
    public static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        return switch (n.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> n.booleanValue() ? "true" : "false";
            case NULL -> "null";
            case ARRAY -> n.isEmpty() ? "an empty list" : "a list";
            case OBJECT -> "an object";
            default -> n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String abbrev(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
