package dev.gatekeeper.settings;

import dev.gatekeeper.policy.Units;
import dev.gatekeeper.settings.YamlNode.Entry;
import dev.gatekeeper.settings.YamlNode.Location;
import dev.gatekeeper.settings.YamlNode.Mapping;
import dev.gatekeeper.settings.YamlNode.Scalar;
import dev.gatekeeper.settings.YamlNode.Sequence;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The one strict reader of Gatekeeper's YAML files (the policy, drift.yaml, watch.yaml, stabilize's
 * {@code --config}): an unknown or duplicate key is an error, because a misspelt key must not silently fall back to
 * a default; every problem is collected and reported at once, each with file, line, column, key and what is
 * allowed. One instance reads one file: its typed readers record problems instead of throwing, and {@link #check}
 * throws them all. Streaming parser only (see {@link YamlNode}).
 */
public final class StrictYaml {
    /**
     * The largest settings file read at all: a real one is a few KB; the YAML parser's time grows quadratically with
     * a long scalar (PolicyLoader: 4 MB took 6.5 s), so a larger file is refused by its size, before parsing.
     */
    public static final int MAX_BYTES = 256 * 1024;

    private final String file;
    private final List<Problem> problems = new ArrayList<>();

    public StrictYaml(String file) {
        this.file = file;
    }

    /** Reads {@code path} (at most {@link #MAX_BYTES}) and parses it; {@code expected} is what it must hold. */
    public static Read read(Path path, String expected) throws SettingsException {
        StrictYaml y = new StrictYaml(path.toString());
        String text;
        try {
            if (!Files.isRegularFile(path)) {
                throw y.fatal(Files.exists(path) ? "not a regular file" : "no such file", "a readable YAML file");
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(path)) {
                bytes = in.readNBytes(MAX_BYTES + 1);
            }
            if (bytes.length > MAX_BYTES) {
                throw y.fatal("larger than " + MAX_BYTES / 1024 + " KB: refused before parsing",
                        "a file of at most " + MAX_BYTES / 1024 + " KB");
            }
            text = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw y.fatal("cannot read: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    "a readable YAML file");
        }
        Path dir = path.toAbsolutePath().normalize().getParent();
        return new Read(y, y.parse(new StringReader(text), expected), dir);
    }

    /** A parsed file: its reader (for problems), its root and the folder relative paths in it resolve against. */
    public record Read(StrictYaml yaml, YamlNode root, Path dir) {}

    /**
     * Parses one YAML document; a duplicate key is recorded as a problem.
     *
     * @throws SettingsException when the text is not one well-formed YAML document (nothing more can be checked)
     */
    public YamlNode parse(Reader reader, String expected) throws SettingsException {
        return new YamlTreeReader(file, problems).read(reader, expected);
    }

    public String file() {
        return file;
    }

    // ---- typed readers that record problems instead of throwing ----

    /** {@code node} as a mapping, else a problem and null. */
    public Mapping mapping(YamlNode node, String key, String allowed) {
        if (node instanceof Mapping m) {
            return m;
        }
        problem(node.location(), key, "must be a mapping", allowed);
        return null;
    }

    /** A problem for each key of {@code m} not in {@code allowed}. */
    public void keys(Mapping m, Collection<String> allowed) {
        for (Entry e : m.entries().values()) {
            if (!allowed.contains(e.key())) {
                problem(e.keyLocation(), e.key(), "unknown key", String.join(", ", new TreeSet<>(allowed)));
            }
        }
    }

    /** {@code version: 1}, required. */
    public void version(Mapping top) {
        Entry v = top.entries().get("version");
        if (v == null) {
            problem(top.location(), "version", "missing", "version: 1");
            return;
        }
        String s = scalar(v, "1");
        if (s != null && !s.equals("1")) {
            problem(v.value().location(), "version", "unsupported version '" + s + "'", "1");
        }
    }

    /** The entry's single value, else a problem and null. */
    public String scalar(Entry e, String allowed) {
        if (e.value() instanceof Scalar s && s.value() != null) {
            return s.value();
        }
        problem(e.value().location(), e.key(), "must be a single value", allowed);
        return null;
    }

    /** A non-blank single value under {@code key}, if present. */
    public Optional<String> string(Mapping m, String key, String allowed) {
        Entry e = m.entries().get(key);
        if (e == null) {
            return Optional.empty();
        }
        String s = scalar(e, allowed);
        if (s != null && s.isBlank()) {
            problem(e.value().location(), key, "must not be empty", allowed);
            return Optional.empty();
        }
        return Optional.ofNullable(s);
    }

    /**
     * The value under {@code key} parsed by {@code parse}, if present; an {@link IllegalArgumentException} from it is a
     * problem ("invalid value"), with {@code allowed}, or when that is null the exception's message, as what is
     * allowed.
     */
    public <T> Optional<T> value(Mapping m, String key, Function<String, T> parse, String allowed) {
        Entry e = m.entries().get(key);
        if (e == null) {
            return Optional.empty();
        }
        String s = scalar(e, allowed);
        return s == null ? Optional.empty() : parse(e.value().location(), key, s, parse, allowed);
    }

    /** {@code text} (found at {@code at}) parsed, or a problem. */
    public <T> Optional<T> parse(Location at, String key, String text, Function<String, T> parse, String allowed) {
        try {
            return Optional.of(parse.apply(text));
        } catch (IllegalArgumentException ex) {
            problem(at, key, "invalid value '" + text + "'", allowed != null ? allowed : ex.getMessage());
            return Optional.empty();
        }
    }

    public Optional<Duration> duration(Mapping m, String key) {
        return value(m, key, Units::duration, null);
    }

    /** {@code true} or {@code false} under {@code key}, if present. */
    public Optional<Boolean> flag(Mapping m, String key) {
        return value(m, key, StrictYaml::bool, "true or false");
    }

    public boolean bool(Mapping m, String key, boolean dflt) {
        return flag(m, key).orElse(dflt);
    }

    /** A whole number from {@code min} to {@code max} under {@code key}, if present. */
    public Optional<Long> number(Mapping m, String key, long min, long max, String allowed) {
        return value(m, key, s -> whole(s, min, max), allowed);
    }

    /** A list of non-empty values (a single value counts as a list of one when {@code single} is true). */
    public List<String> strings(Entry e, String allowed) {
        if (e == null) {
            return List.of();
        }
        if (!(e.value() instanceof Sequence seq)) {
            problem(e.value().location(), e.key(), "must be a list", allowed);
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (YamlNode item : seq.items()) {
            if (item instanceof Scalar s && s.value() != null && !s.value().isBlank()) {
                out.add(s.value());
            } else {
                problem(item.location(), e.key(), "list items must be non-empty values", allowed);
            }
        }
        return out;
    }

    /** The items of a list under {@code e}; a problem and none when it is not a list. */
    public List<YamlNode> items(Entry e, String allowed) {
        if (e.value() instanceof Sequence seq) {
            return seq.items();
        }
        problem(e.value().location(), e.key(), "must be a list", allowed);
        return List.of();
    }

    public void problem(Location at, String key, String message, String allowed) {
        problems.add(new Problem(file, at.line(), at.column(), key, message, allowed));
    }

    public boolean hasProblems() {
        return !problems.isEmpty();
    }

    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    /** @throws SettingsException with every problem recorded, in file order */
    public void check() throws SettingsException {
        if (!problems.isEmpty()) {
            List<Problem> sorted = new ArrayList<>(problems);
            sorted.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
            throw new SettingsException(sorted);
        }
    }

    private SettingsException fatal(String message, String allowed) {
        return new SettingsException(List.of(new Problem(file, 1, 1, null, message, allowed)));
    }

    static boolean bool(String s) {
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException("true or false");
    }

    static long whole(String s, long min, long max) {
        try {
            long n = Long.parseLong(s.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // one message below
        }
        throw new IllegalArgumentException("a whole number from " + min + " to " + max);
    }
}
