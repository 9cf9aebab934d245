package dev.gatekeeper.policy;

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

/** Reads YAML into {@link YamlNode}s, refusing duplicate keys (YAML allows them silently; policies must not). */
public final class YamlTreeReader {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final String source;

    public YamlTreeReader(String source) {
        this.source = source;
    }

    public YamlNode read(Reader reader) throws PolicyException {
        try (JsonParser p = FACTORY.createParser(reader)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw PolicyException.single(source, new YamlNode.Location(1, 1), null, "the policy file is empty",
                        "a mapping with 'version: 1' and 'protected:'");
            }
            YamlNode node = readValue(p);
            if (p.nextToken() != null) {
                throw PolicyException.single(source, location(p.currentTokenLocation()), null,
                        "more than one YAML document", "exactly one document");
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            YamlNode.Location where = loc == null ? new YamlNode.Location(1, 1) : location(loc);
            throw PolicyException.single(source, where, null, "not valid YAML: " + firstLine(e.getOriginalMessage()),
                    "well-formed YAML");
        } catch (IOException e) {
            throw PolicyException.single(source, new YamlNode.Location(1, 1), null,
                    "cannot read: " + e.getMessage(), "a readable file");
        }
    }

    private YamlNode readValue(JsonParser p) throws IOException, PolicyException {
        YamlNode.Location here = location(p.currentTokenLocation());
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    YamlNode.Location keyLoc = location(p.currentTokenLocation());
                    if (entries.containsKey(key)) {
                        throw PolicyException.single(source, keyLoc, key, "duplicate key", "each key once");
                    }
                    p.nextToken();
                    entries.put(key, new YamlNode.Entry(key, keyLoc, readValue(p)));
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
