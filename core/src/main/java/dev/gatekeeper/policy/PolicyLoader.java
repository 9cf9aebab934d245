package dev.gatekeeper.policy;

import dev.gatekeeper.policy.YamlNode.Entry;
import dev.gatekeeper.policy.YamlNode.Location;
import dev.gatekeeper.policy.YamlNode.Mapping;
import dev.gatekeeper.policy.YamlNode.Scalar;
import dev.gatekeeper.policy.YamlNode.Sequence;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Loads and validates a policy file. Strict on purpose: an unknown key is an error, not ignored, because a typo
 * in a security policy ({@code alowDeletion}) must not silently fall back to a default. Every problem found is
 * reported at once, each with file, line, column, key and what is allowed.
 */
public final class PolicyLoader {
    static final Set<String> TOP_KEYS = Set.of("version", "repository", "identity", "protected", "audit", "alert");
    static final Set<String> IDENTITY_KEYS = Set.of("pusherEnv", "token", "signedPush");
    static final Set<String> TOKEN_KEYS = Set.of("secretEnv", "secretFile", "maxTtl");
    static final Set<String> SIGNED_KEYS = Set.of("keys");
    static final Set<String> RULE_KEYS = Set.of("ref", "pushers", "token", "signedPush", "allowForcePush",
            "allowDeletion", "howToLand");
    static final Set<String> AUDIT_KEYS = Set.of("log", "maxFileSize", "maxFiles", "security", "ledger");
    static final Set<String> BUDGET_KEYS = Set.of("maxFileSize", "maxFiles");
    static final Set<String> ALERT_KEYS = Set.of("webhook", "webhookEnv", "webhookFile", "on", "timeout");
    public static final Set<String> ALERT_EVENTS = Set.of("break-glass", "refused", "policy-error");

    public static final String DEFAULT_HOW_TO_LAND =
            "Open a pull request (or run the pipeline); the pipeline is the only way onto this ref.";
    public static final Duration DEFAULT_MAX_TTL = Duration.ofHours(1);

    private final List<PolicyException.Problem> problems = new ArrayList<>();
    private String file = "<policy>";
    private Path baseDir = Path.of(".");

    /**
     * The largest policy file read at all. A real policy is a few KB (the example with every key: 3 KB; 500 rules:
     * about 40 KB). Parsing time in the YAML library grows quadratically with a long scalar (measured: 4 MB took
     * 6.5 s, 8 MB 31 s, 50 MB did not finish in 60 s and took ~1 GB), and the gate parses the policy on every push:
     * a file larger than this is refused by its size, before any parsing, so no policy can hang a push.
     */
    public static final int MAX_POLICY_BYTES = 256 * 1024;

    /** Loads the policy at {@code path}; relative paths inside it resolve against its folder. */
    public static Policy load(Path path) throws PolicyException {
        String text = read(path);
        Path abs = path.toAbsolutePath().normalize();
        return new PolicyLoader().parse(new StringReader(text), path.toString(), abs.getParent(), abs);
    }

    /**
     * The file's text, refused before reading when it is not a regular file (a FIFO would block, {@code /dev/zero}
     * never ends) or larger than {@link #MAX_POLICY_BYTES}; read with a bound either way (it may grow meanwhile).
     */
    private static String read(Path path) throws PolicyException {
        String name = path.toString();
        try {
            if (!Files.isRegularFile(path)) {
                throw problem(name, Files.exists(path) ? "not a regular file" : "cannot read the policy file: "
                        + "NoSuchFileException: " + path, "a readable YAML file");
            }
            long size = Files.size(path);
            if (size > MAX_POLICY_BYTES) {
                throw tooLarge(name, size);
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(path)) {
                bytes = in.readNBytes(MAX_POLICY_BYTES + 1);
            }
            if (bytes.length > MAX_POLICY_BYTES) {
                throw tooLarge(name, Math.max(bytes.length, Files.size(path)));
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw problem(name, "cannot read the policy file: " + e.getClass().getSimpleName() + ": "
                    + e.getMessage(), "a readable YAML file");
        }
    }

    private static PolicyException tooLarge(String name, long size) {
        return problem(name, "the policy file is " + size + " bytes; a policy may have at most " + MAX_POLICY_BYTES
                + " bytes (" + (MAX_POLICY_BYTES / 1024) + " KB): refused before parsing",
                "a policy of at most " + (MAX_POLICY_BYTES / 1024) + " KB");
    }

    private static PolicyException problem(String name, String message, String allowed) {
        return new PolicyException(List.of(new PolicyException.Problem(name, 1, 1, null, message, allowed)));
    }

    /** Parses policy text (at most {@link #MAX_POLICY_BYTES} characters); {@code name} is used in messages. */
    public static Policy parse(Reader reader, String name, Path baseDir) throws PolicyException {
        char[] buf = new char[MAX_POLICY_BYTES + 1];
        int n = 0;
        try {
            int r;
            while (n < buf.length && (r = reader.read(buf, n, buf.length - n)) > 0) {
                n += r;
            }
        } catch (IOException e) {
            throw problem(name, "cannot read: " + e.getMessage(), "a readable file");
        }
        if (n > MAX_POLICY_BYTES) {
            throw problem(name, "the policy is more than " + MAX_POLICY_BYTES + " characters; a policy may have at"
                    + " most " + MAX_POLICY_BYTES + ": refused before parsing", "a policy of at most "
                    + (MAX_POLICY_BYTES / 1024) + " KB");
        }
        return new PolicyLoader().parse(new StringReader(new String(buf, 0, n)), name, baseDir,
                baseDir.resolve(name));
    }

    private Policy parse(Reader reader, String name, Path base, Path source) throws PolicyException {
        this.file = name;
        this.baseDir = base == null ? Path.of(".") : base;
        YamlNode root = new YamlTreeReader(name).read(reader);
        Mapping top = mapping(root, null, "the top level");
        if (top == null) {
            throw new PolicyException(problems);
        }
        checkKeys(top, TOP_KEYS);

        Integer version = null;
        Entry v = top.entries().get("version");
        if (v == null) {
            problem(top.location(), "version", "missing", "version: 1");
        } else {
            String s = scalar(v, "1");
            if (s != null && !s.equals("1")) {
                problem(v.value().location(), "version", "unsupported version '" + s + "'", "1");
            } else if (s != null) {
                version = 1;
            }
        }
        Optional<String> repository = optionalString(top, "repository", "a repository name such as 'app'");
        Policy.Identity identity = identity(top.entries().get("identity"));
        List<Policy.ProtectedRef> rules = rules(top.entries().get("protected"), top.location());
        Policy.Audit audit = audit(top.entries().get("audit"));
        Policy.Alert alert = alert(top.entries().get("alert"));

        if (!problems.isEmpty() || version == null) {
            problems.sort(java.util.Comparator.comparingInt(PolicyException.Problem::line)
                    .thenComparingInt(PolicyException.Problem::column));
            throw new PolicyException(problems);
        }
        return new Policy(source, version, repository, identity, rules, audit, alert);
    }

    private Policy.Identity identity(Entry e) {
        List<String> pusherEnv = List.of();
        Policy.TokenSettings token = new Policy.TokenSettings("GATEKEEPER_PIPELINE_SECRET",
                baseDir.resolve("pipeline.secret"), DEFAULT_MAX_TTL);
        List<String> keys = List.of();
        if (e == null) {
            return new Policy.Identity(pusherEnv, token, keys);
        }
        Mapping m = mapping(e.value(), e.key(), "a mapping with " + IDENTITY_KEYS);
        if (m == null) {
            return new Policy.Identity(pusherEnv, token, keys);
        }
        checkKeys(m, IDENTITY_KEYS);
        pusherEnv = stringList(m.entries().get("pusherEnv"), "environment variable names, e.g. [GL_USERNAME]");
        Entry t = m.entries().get("token");
        if (t != null) {
            Mapping tm = mapping(t.value(), "token", "a mapping with " + TOKEN_KEYS);
            if (tm != null) {
                checkKeys(tm, TOKEN_KEYS);
                String env = optionalString(tm, "secretEnv", "an environment variable name").orElse(token.secretEnv());
                Path f = optionalString(tm, "secretFile", "a file path").map(baseDir::resolve)
                        .orElse(token.secretFile());
                Duration ttl = optionalValue(tm, "maxTtl", Units::duration, "a duration such as 15m or 1h")
                        .orElse(DEFAULT_MAX_TTL);
                token = new Policy.TokenSettings(env, f, ttl);
            }
        }
        Entry s = m.entries().get("signedPush");
        if (s != null) {
            Mapping sm = mapping(s.value(), "signedPush", "a mapping with " + SIGNED_KEYS);
            if (sm != null) {
                checkKeys(sm, SIGNED_KEYS);
                keys = stringList(sm.entries().get("keys"), "GPG key ids or fingerprints");
            }
        }
        return new Policy.Identity(pusherEnv, token, keys);
    }

    private List<Policy.ProtectedRef> rules(Entry e, Location topLocation) {
        List<Policy.ProtectedRef> rules = new ArrayList<>();
        if (e == null) {
            problem(topLocation, "protected", "missing", "a list of rules, each with 'ref: refs/heads/main'");
            return rules;
        }
        if (!(e.value() instanceof Sequence seq)) {
            problem(e.value().location(), "protected", "must be a list", "a list of rules");
            return rules;
        }
        for (YamlNode item : seq.items()) {
            Mapping m = mapping(item, "protected", "a mapping with " + RULE_KEYS);
            if (m == null) {
                continue;
            }
            checkKeys(m, RULE_KEYS);
            Entry ref = m.entries().get("ref");
            RefPattern pattern = null;
            if (ref == null) {
                problem(m.location(), "ref", "missing", "a ref pattern such as refs/heads/main or refs/tags/v*");
            } else {
                String glob = scalar(ref, "a ref pattern");
                if (glob != null) {
                    try {
                        pattern = RefPattern.of(glob);
                    } catch (IllegalArgumentException ex) {
                        problem(ref.value().location(), "ref", "invalid pattern '" + glob + "'", ex.getMessage());
                    }
                }
            }
            List<String> pushers = stringList(m.entries().get("pushers"), "pipeline user names");
            boolean token = bool(m, "token", true);
            boolean signed = bool(m, "signedPush", false);
            boolean force = bool(m, "allowForcePush", false);
            boolean delete = bool(m, "allowDeletion", false);
            String how = optionalString(m, "howToLand", "a sentence for refused pushers").orElse(DEFAULT_HOW_TO_LAND);
            if (pattern != null) {
                rules.add(new Policy.ProtectedRef(pattern, pushers, token, signed, force, delete, how));
            }
        }
        return rules;
    }

    private Policy.Audit audit(Entry e) {
        Optional<Path> log = Optional.empty();
        long maxFile = 10L * 1024 * 1024;
        int maxFiles = 5;
        Policy.Budget security = Policy.Audit.DEFAULT_SECURITY;
        Policy.Budget ledger = Policy.Audit.DEFAULT_LEDGER;
        if (e != null) {
            Mapping m = mapping(e.value(), e.key(), "a mapping with " + AUDIT_KEYS);
            if (m != null) {
                checkKeys(m, AUDIT_KEYS);
                log = optionalString(m, "log", "a file path").map(baseDir::resolve);
                Policy.Budget own = budget(m, new Policy.Budget(maxFile, maxFiles));
                maxFile = own.maxFileBytes();
                maxFiles = own.maxFiles();
                security = nestedBudget(m.entries().get("security"), security);
                ledger = nestedBudget(m.entries().get("ledger"), ledger);
            }
        }
        return new Policy.Audit(log, maxFile, maxFiles, security, ledger);
    }

    private Policy.Budget nestedBudget(Entry e, Policy.Budget dflt) {
        if (e == null) {
            return dflt;
        }
        Mapping m = mapping(e.value(), e.key(), "a mapping with " + BUDGET_KEYS);
        if (m == null) {
            return dflt;
        }
        checkKeys(m, BUDGET_KEYS);
        return budget(m, dflt);
    }

    private Policy.Budget budget(Mapping m, Policy.Budget dflt) {
        long maxFile = optionalValue(m, "maxFileSize", Units::bytes, "a size such as 10MB").orElse(dflt.maxFileBytes());
        int maxFiles = optionalValue(m, "maxFiles", s -> positiveInt(s, 1000), "a whole number from 1 to 1000")
                .orElse(dflt.maxFiles());
        if (maxFile < 1024) {
            problem(m.entries().get("maxFileSize").value().location(), "maxFileSize", "too small", "at least 1KB");
        }
        return new Policy.Budget(maxFile, maxFiles);
    }

    private Policy.Alert alert(Entry e) {
        Optional<String> url = Optional.empty();
        Optional<String> env = Optional.empty();
        Optional<Path> file = Optional.empty();
        Set<String> on = Set.of("break-glass", "policy-error");
        Duration timeout = Duration.ofSeconds(3);
        if (e != null) {
            Mapping m = mapping(e.value(), e.key(), "a mapping with " + ALERT_KEYS);
            if (m != null) {
                checkKeys(m, ALERT_KEYS);
                url = optionalString(m, "webhook", "an http(s) URL");
                url.ifPresent(u -> {
                    if (!u.startsWith("http://") && !u.startsWith("https://")) {
                        problem(m.entries().get("webhook").value().location(), "webhook", "not an http(s) URL",
                                "http://… or https://…");
                    }
                });
                env = optionalString(m, "webhookEnv", "an environment variable name");
                file = optionalString(m, "webhookFile", "a file path").map(baseDir::resolve);
                Entry onEntry = m.entries().get("on");
                if (onEntry != null) {
                    Set<String> chosen = new LinkedHashSet<>();
                    for (String s : stringList(onEntry, "a list of " + ALERT_EVENTS)) {
                        if (!ALERT_EVENTS.contains(s)) {
                            problem(onEntry.value().location(), "on", "unknown alert event '" + s + "'",
                                    String.join(", ", ALERT_EVENTS));
                        }
                        chosen.add(s);
                    }
                    on = chosen;
                }
                timeout = optionalValue(m, "timeout", Units::duration, "a duration such as 3s").orElse(timeout);
            }
        }
        return new Policy.Alert(url, env, file, on, timeout);
    }

    // ---- small typed readers that record problems instead of throwing ----

    private void checkKeys(Mapping m, Set<String> allowed) {
        for (Entry e : m.entries().values()) {
            if (!allowed.contains(e.key())) {
                problem(e.keyLocation(), e.key(), "unknown key", String.join(", ", sorted(allowed)));
            }
        }
    }

    private Mapping mapping(YamlNode node, String key, String allowed) {
        if (node instanceof Mapping m) {
            return m;
        }
        problem(node.location(), key, "must be a mapping", allowed);
        return null;
    }

    private String scalar(Entry e, String allowed) {
        if (e.value() instanceof Scalar s && s.value() != null) {
            return s.value();
        }
        problem(e.value().location(), e.key(), "must be a single value", allowed);
        return null;
    }

    private Optional<String> optionalString(Mapping m, String key, String allowed) {
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

    private <T> Optional<T> optionalValue(Mapping m, String key, Function<String, T> parse, String allowed) {
        Entry e = m.entries().get(key);
        if (e == null) {
            return Optional.empty();
        }
        String s = scalar(e, allowed);
        if (s == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse.apply(s));
        } catch (IllegalArgumentException ex) {
            problem(e.value().location(), key, "invalid value '" + s + "'", allowed);
            return Optional.empty();
        }
    }

    private boolean bool(Mapping m, String key, boolean dflt) {
        Entry e = m.entries().get(key);
        if (e == null) {
            return dflt;
        }
        String s = scalar(e, "true or false");
        if ("true".equals(s)) {
            return true;
        }
        if ("false".equals(s)) {
            return false;
        }
        if (s != null) {
            problem(e.value().location(), key, "invalid value '" + s + "'", "true or false");
        }
        return dflt;
    }

    private List<String> stringList(Entry e, String allowed) {
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

    private static int positiveInt(String s, int max) {
        try {
            int n = Integer.parseInt(s.trim());
            if (n < 1 || n > max) {
                throw new IllegalArgumentException();
            }
            return n;
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException(ex);
        }
    }

    private void problem(Location at, String key, String message, String allowed) {
        problems.add(new PolicyException.Problem(file, at.line(), at.column(), key, message, allowed));
    }

    private static List<String> sorted(Set<String> s) {
        List<String> l = new ArrayList<>(s);
        l.sort(null);
        return l;
    }
}
