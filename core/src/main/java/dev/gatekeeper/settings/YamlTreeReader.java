package dev.gatekeeper.settings;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML into {@link YamlNode}s with Jackson's streaming parser (no databind: the pre-receive hook parses the
 * policy on every push). A duplicate key is a problem (YAML allows it silently, and {@code wait: 60s} then
 * {@code wait: 0s} must not quietly mean 0s); the first value is kept so the rest can still be checked.
 */
final class YamlTreeReader {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final String source;
    private final List<Problem> problems;

    /** @param problems where duplicate keys are recorded */
    YamlTreeReader(String source, List<Problem> problems) {
        this.source = source;
        this.problems = problems;
    }

    /**
     * @param expected what the document must hold, for the message when it is empty
     * @throws SettingsException when the text is not one well-formed YAML document
     */
    YamlNode read(Reader reader, String expected) throws SettingsException {
        try (JsonParser p = FACTORY.createParser(reader)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw single(new YamlNode.Location(1, 1), "the file is empty", expected);
            }
            YamlNode node = readValue(p);
            if (p.nextToken() != null) {
                throw single(location(p.currentTokenLocation()), "more than one YAML document", "exactly one document");
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            YamlNode.Location where = loc == null ? new YamlNode.Location(1, 1) : location(loc);
            throw single(where, "not valid YAML: " + firstLine(e.getOriginalMessage()), "well-formed YAML");
        } catch (IOException e) {
            throw single(new YamlNode.Location(1, 1), "cannot read: " + e.getMessage(), "a readable file");
        }
    }

    private YamlNode readValue(JsonParser p) throws IOException {
        YamlNode.Location here = location(p.currentTokenLocation());
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    YamlNode.Location keyLoc = location(p.currentTokenLocation());
                    p.nextToken();
                    YamlNode value = readValue(p);
                    if (entries.containsKey(key)) {
                        problems.add(new Problem(source, keyLoc.line(), keyLoc.column(), key, "duplicate key",
                                "each key once"));
                    } else {
                        entries.put(key, new YamlNode.Entry(key, keyLoc, value));
                    }
                }
                return new YamlNode.Mapping(entries, here);
            }
            case START_ARRAY: {
                List<YamlNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(readValue(p));
                }
                return new YamlNode.Sequence(items, here);
            }
            case VALUE_NULL:
                return new YamlNode.Scalar(null, here);
            default:
                return new YamlNode.Scalar(p.getText(), here);
        }
    }

    private SettingsException single(YamlNode.Location at, String message, String allowed) {
        return new SettingsException(List.of(new Problem(source, at.line(), at.column(), null, message, allowed)));
    }

    private static YamlNode.Location location(JsonLocation loc) {
        return new YamlNode.Location(Math.max(1, loc.getLineNr()), Math.max(1, loc.getColumnNr()));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "parse error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
