package dev.gatekeeper.settings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a small tree that remembers where each node stood, so that policy errors can name the
 * file, line and column. Built from Jackson's streaming parser instead of databind: the pre-receive hook parses
 * the policy on every push and databind's class loading would dominate its latency.
 */
public sealed interface YamlNode permits YamlNode.Scalar, YamlNode.Mapping, YamlNode.Sequence {

    Location location();

    /** A 1-based position in the source file. */
    record Location(int line, int column) {
        @Override
        public String toString() {
            return line + ":" + column;
        }
    }

    /** A scalar; {@code value} is null for YAML's null. */
    record Scalar(String value, Location location) implements YamlNode {}

    record Entry(String key, Location keyLocation, YamlNode value) {}

    record Mapping(Map<String, Entry> entries, Location location) implements YamlNode {
        public Mapping {
            entries = new LinkedHashMap<>(entries);
        }
    }

    record Sequence(List<YamlNode> items, Location location) implements YamlNode {
        public Sequence {
            items = List.copyOf(items);
        }
    }
}
