package dev.gatekeeper.policy;

import dev.gatekeeper.settings.Problem;
import dev.gatekeeper.settings.SettingsException;
import dev.gatekeeper.settings.StrictYaml;
import dev.gatekeeper.settings.YamlNode;
import dev.gatekeeper.settings.YamlNode.Entry;
import dev.gatekeeper.settings.YamlNode.Location;
import dev.gatekeeper.settings.YamlNode.Mapping;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Loads and validates a policy file. Strict on purpose: an unknown key is an error, not ignored, because a typo
 * in a security policy ({@code alowDeletion}) must not silently fall back to a default. Every problem found is
 * reported at once, each with file, line, column, key and what is allowed ({@link StrictYaml}, the reader every
 * settings file shares).
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

    private StrictYaml yaml = new StrictYaml("<policy>");
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
        return new PolicyException(List.of(new Problem(name, 1, 1, null, message, allowed)));
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
        this.yaml = new StrictYaml(name);
        this.baseDir = base == null ? Path.of(".") : base;
        try {
            YamlNode root = yaml.parse(reader, "a mapping with 'version: 1' and 'protected:'");
            Mapping top = yaml.mapping(root, null, "the top level");
            if (top == null) {
                yaml.check(); // throws: the top level is no mapping
            }
            yaml.keys(top, TOP_KEYS);
            yaml.version(top);
            Optional<String> repository = yaml.string(top, "repository", "a repository name such as 'app'");
            Policy.Identity identity = identity(top.entries().get("identity"));
            List<Policy.ProtectedRef> rules = rules(top.entries().get("protected"), top.location());
            Policy.Audit audit = audit(top.entries().get("audit"));
            Policy.Alert alert = alert(top.entries().get("alert"));
            yaml.check();
            return new Policy(source, 1, repository, identity, rules, audit, alert);
        } catch (SettingsException e) {
            throw new PolicyException(e.problems());
        }
    }

    private Policy.Identity identity(Entry e) {
        List<String> pusherEnv = List.of();
        Policy.TokenSettings token = new Policy.TokenSettings("GATEKEEPER_PIPELINE_SECRET",
                baseDir.resolve("pipeline.secret"), DEFAULT_MAX_TTL);
        List<String> keys = List.of();
        if (e == null) {
            return new Policy.Identity(pusherEnv, token, keys);
        }
        Mapping m = yaml.mapping(e.value(), e.key(), "a mapping with " + IDENTITY_KEYS);
        if (m == null) {
            return new Policy.Identity(pusherEnv, token, keys);
        }
        yaml.keys(m, IDENTITY_KEYS);
        pusherEnv = yaml.strings(m.entries().get("pusherEnv"), "environment variable names, e.g. [GL_USERNAME]");
        Entry t = m.entries().get("token");
        if (t != null) {
            Mapping tm = yaml.mapping(t.value(), "token", "a mapping with " + TOKEN_KEYS);
            if (tm != null) {
                yaml.keys(tm, TOKEN_KEYS);
                String env = yaml.string(tm, "secretEnv", "an environment variable name").orElse(token.secretEnv());
                Path f = yaml.string(tm, "secretFile", "a file path").map(baseDir::resolve)
                        .orElse(token.secretFile());
                Duration ttl = yaml.value(tm, "maxTtl", Units::duration, "a duration such as 15m or 1h")
                        .orElse(DEFAULT_MAX_TTL);
                token = new Policy.TokenSettings(env, f, ttl);
            }
        }
        Entry s = m.entries().get("signedPush");
        if (s != null) {
            Mapping sm = yaml.mapping(s.value(), "signedPush", "a mapping with " + SIGNED_KEYS);
            if (sm != null) {
                yaml.keys(sm, SIGNED_KEYS);
                keys = yaml.strings(sm.entries().get("keys"), "GPG key ids or fingerprints");
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
            Mapping m = yaml.mapping(item, "protected", "a mapping with " + RULE_KEYS);
            if (m == null) {
                continue;
            }
            yaml.keys(m, RULE_KEYS);
            Entry ref = m.entries().get("ref");
            RefPattern pattern = null;
            if (ref == null) {
                problem(m.location(), "ref", "missing", "a ref pattern such as refs/heads/main or refs/tags/v*");
            } else {
                String glob = yaml.scalar(ref, "a ref pattern");
                if (glob != null) {
                    try {
                        pattern = RefPattern.of(glob);
                    } catch (IllegalArgumentException ex) {
                        problem(ref.value().location(), "ref", "invalid pattern '" + glob + "'", ex.getMessage());
                    }
                }
            }
            List<String> pushers = yaml.strings(m.entries().get("pushers"), "pipeline user names");
            boolean token = bool(m, "token", true);
            boolean signed = bool(m, "signedPush", false);
            boolean force = bool(m, "allowForcePush", false);
            boolean delete = bool(m, "allowDeletion", false);
            String how = yaml.string(m, "howToLand", "a sentence for refused pushers").orElse(DEFAULT_HOW_TO_LAND);
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
            Mapping m = yaml.mapping(e.value(), e.key(), "a mapping with " + AUDIT_KEYS);
            if (m != null) {
                yaml.keys(m, AUDIT_KEYS);
                log = yaml.string(m, "log", "a file path").map(baseDir::resolve);
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
        Mapping m = yaml.mapping(e.value(), e.key(), "a mapping with " + BUDGET_KEYS);
        if (m == null) {
            return dflt;
        }
        yaml.keys(m, BUDGET_KEYS);
        return budget(m, dflt);
    }

    private Policy.Budget budget(Mapping m, Policy.Budget dflt) {
        long maxFile = yaml.value(m, "maxFileSize", Units::bytes, "a size such as 10MB").orElse(dflt.maxFileBytes());
        int maxFiles = yaml.value(m, "maxFiles", s -> positiveInt(s, 1000), "a whole number from 1 to 1000")
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
            Mapping m = yaml.mapping(e.value(), e.key(), "a mapping with " + ALERT_KEYS);
            if (m != null) {
                yaml.keys(m, ALERT_KEYS);
                url = yaml.string(m, "webhook", "an http(s) URL");
                url.ifPresent(u -> {
                    if (!u.startsWith("http://") && !u.startsWith("https://")) {
                        problem(m.entries().get("webhook").value().location(), "webhook", "not an http(s) URL",
                                "http://… or https://…");
                    }
                });
                env = yaml.string(m, "webhookEnv", "an environment variable name");
                file = yaml.string(m, "webhookFile", "a file path").map(baseDir::resolve);
                Entry onEntry = m.entries().get("on");
                if (onEntry != null) {
                    Set<String> chosen = new LinkedHashSet<>();
                    for (String s : yaml.strings(onEntry, "a list of " + ALERT_EVENTS)) {
                        if (!ALERT_EVENTS.contains(s)) {
                            problem(onEntry.value().location(), "on", "unknown alert event '" + s + "'",
                                    String.join(", ", ALERT_EVENTS));
                        }
                        chosen.add(s);
                    }
                    on = chosen;
                }
                timeout = yaml.value(m, "timeout", Units::duration, "a duration such as 3s").orElse(timeout);
            }
        }
        return new Policy.Alert(url, env, file, on, timeout);
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
        yaml.problem(at, key, message, allowed);
    }

    private boolean bool(Mapping m, String key, boolean dflt) {
        return yaml.bool(m, key, dflt);
    }
}
