package dev.gatekeeper.stabilize;

import dev.gatekeeper.notify.NotifyEndpoint;
import dev.gatekeeper.settings.Problem;
import dev.gatekeeper.settings.SecretSources;
import dev.gatekeeper.settings.SettingKey;
import dev.gatekeeper.settings.SettingsException;
import dev.gatekeeper.settings.StrictYaml;
import dev.gatekeeper.settings.Values;
import dev.gatekeeper.settings.YamlNode;
import dev.gatekeeper.settings.YamlNode.Entry;
import dev.gatekeeper.settings.YamlNode.Mapping;
import dev.gatekeeper.settings.YamlNode.Scalar;
import dev.gatekeeper.token.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything {@code stabilize} runs with, filled the same way by every packaging: first the YAML file
 * ({@link Builder#config}), then the packaging's own options, each by its {@link Key}. Secrets are values here (the
 * pipeline secret, the notification URLs, the probe headers); reading them from variables, files or credentials is
 * the packaging's job.
 *
 * @param probes      with the shared HTTP checks and timeout already applied where a probe has none of its own
 * @param waitFor     the {@code wait} setting: how long the merge settles before the probes
 * @param confirmWait null: the same as {@code wait}
 * @param tokenSecret null: the revert is pushed without a pipeline token
 * @param auditLog    null: {@code $GATEKEEPER_AUDIT_LOG}, else the clone's
 */
public record StabilizeSettings(Path directory, String remote, String branch, String commit, Duration waitFor,
        Duration confirmWait, List<ProbeSpec> probes, SamplingPlan plan, boolean holdOnErrors, String deploy,
        Duration deployTimeout, List<NotifyEndpoint> notifications, Secret tokenSecret, String repoName, int maxRevertsPerDay,
        Path auditLog, boolean dryRun) {

    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_DEPLOY_TIMEOUT = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_REVERTS_PER_DAY = 3;

    public StabilizeSettings {
        probes = List.copyOf(probes);
        notifications = List.copyOf(notifications);
    }

    /** The settings, by their canonical names (YAML keys and Jenkins parameters). */
    public enum Key implements SettingKey {
        DIR, REMOTE, BRANCH, COMMIT, WAIT, CONFIRM_WAIT,
        PROBES, PROBE_TIMEOUT, EXPECT_STATUS, BODY_REGEX, JSON_FIELD, HEADERS,
        SAMPLES, INTERVAL, FAILURE_LIMIT, CONSECUTIVE_ERROR_LIMIT, HOLD_ON_ERRORS,
        DEPLOY, DEPLOY_TIMEOUT, NOTIFY, TOKEN_SECRET, REPO_NAME, MAX_REVERTS_PER_DAY, AUDIT_LOG, DRY_RUN;

        @Override
        public String key() {
            return SettingKey.camel(this);
        }
    }

    /** The keys a YAML file takes: the settings, with the secrets by where they live. */
    static final Set<String> FILE_KEYS = fileKeys();
    static final Set<String> PROBE_KEYS = Set.of("http", "tcp", "cmd", "method", "status", "bodyRegex", "json",
            "timeout", "headers");

    private static Set<String> fileKeys() {
        Set<String> keys = new TreeSet<>();
        for (Key k : Key.values()) {
            if (k != Key.TOKEN_SECRET && k != Key.DRY_RUN) {
                keys.add(k.key());
            }
        }
        keys.add("tokenSecretEnv");
        keys.add("tokenSecretFile");
        return keys;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code text} checked as {@code key} takes it, for a packaging that validates when it is configured (a Jenkins
     * step's setter).
     *
     * @return {@code text} trimmed, or null for a blank one (not given)
     * @throws IllegalArgumentException naming the setting, what was given and what is allowed
     */
    public static String check(Key key, String text) {
        return Problem.check(text, t -> new Builder().set(key, t).problems);
    }

    /** Each probe checked, for a packaging that validates when it is configured. */
    public static List<String> checkProbes(List<String> specs) {
        Builder b = new Builder().probes(specs);
        if (!b.problems.isEmpty()) {
            throw new IllegalArgumentException(b.problems.get(0).toString());
        }
        return specs;
    }

    /**
     * Collects settings; every problem is kept and {@link #build} throws them all. Later calls win: give the config
     * file first, then the options.
     */
    public static final class Builder {
        private final List<Problem> problems = new ArrayList<>();
        private Path directory = Path.of(".");
        private String remote = "origin";
        private String branch;
        private String commit;
        private Duration wait = DEFAULT_WAIT;
        private Duration confirmWait;
        private List<ProbeSpec> probes = List.of();
        private Duration probeTimeout;
        private String expectStatus;
        private String bodyRegex;
        private String jsonField;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private SamplingPlan plan = SamplingPlan.DEFAULT;
        private boolean holdOnErrors;
        private String deploy;
        private Duration deployTimeout = DEFAULT_DEPLOY_TIMEOUT;
        private List<NotifyEndpoint> notify = List.of();
        private Secret tokenSecret;
        private String repoName;
        private int maxRevertsPerDay = DEFAULT_MAX_REVERTS_PER_DAY;
        private Path auditLog;
        private boolean dryRun;

        private Builder() {}

        /**
         * Sets {@code key} from text as an option or a step parameter gives it; a bad value is a problem naming the
         * key. The keys whose values are not text (paths, secrets, probes, notifications) have their own setters.
         */
        public Builder set(Key key, String text) {
            try {
                apply(key, text.trim());
            } catch (IllegalArgumentException e) {
                problems.add(Problem.of(key.key(), "invalid value '" + text + "'", e.getMessage()));
            }
            return this;
        }

        private void apply(Key key, String v) {
            switch (key) {
                case REMOTE -> remote = Values.text(v, "a remote name or URL");
                case BRANCH -> branch = Values.text(v, "a branch name");
                case COMMIT -> commit = Values.text(v, "a commit or revision");
                case WAIT -> wait = Values.duration(v);
                case CONFIRM_WAIT -> confirmWait = Values.duration(v);
                case PROBE_TIMEOUT -> probeTimeout = Values.positiveDuration(v);
                case EXPECT_STATUS -> {
                    ProbeSpec.checkStatus(v);
                    expectStatus = v;
                }
                case BODY_REGEX -> {
                    ProbeSpec.checkRegex(v);
                    bodyRegex = v;
                }
                case JSON_FIELD -> {
                    ProbeSpec.checkJson(v);
                    jsonField = v;
                }
                case SAMPLES -> plan = new SamplingPlan(Values.count(v, 1, 1000), plan.interval(), plan.failureLimit(),
                        plan.consecutiveErrorLimit());
                case INTERVAL -> plan = new SamplingPlan(plan.samples(), Values.duration(v), plan.failureLimit(),
                        plan.consecutiveErrorLimit());
                case FAILURE_LIMIT -> plan = new SamplingPlan(plan.samples(), plan.interval(), Values.count(v, 0, 1000),
                        plan.consecutiveErrorLimit());
                case CONSECUTIVE_ERROR_LIMIT -> plan = new SamplingPlan(plan.samples(), plan.interval(),
                        plan.failureLimit(), Values.count(v, 0, 1000));
                case HOLD_ON_ERRORS -> holdOnErrors = Values.flag(v);
                case DEPLOY -> deploy = Values.text(v, "a shell command");
                case DEPLOY_TIMEOUT -> deployTimeout = Values.positiveDuration(v);
                case REPO_NAME -> repoName = Values.text(v, "the repository name the push gate knows");
                case MAX_REVERTS_PER_DAY -> maxRevertsPerDay = Values.count(v, 1, 100);
                case DRY_RUN -> dryRun = Values.flag(v);
                default -> throw new IllegalStateException(key.key() + " is not set from text (its own setter)");
            }
        }

        /** The probes ({@code http:[METHOD:]URL}, {@code tcp:HOST:PORT}, {@code cmd:COMMAND}); they replace any. */
        public Builder probes(List<String> specs) {
            List<ProbeSpec> out = new ArrayList<>();
            for (String s : specs) {
                try {
                    out.add(ProbeSpec.parse(s.trim()));
                } catch (IllegalArgumentException e) {
                    problems.add(Problem.of(Key.PROBES.key(), e.getMessage(), null));
                }
            }
            probes = out;
            return this;
        }

        /** Probes as the YAML file gives them, with checks of their own. */
        public Builder probeSpecs(List<ProbeSpec> v) {
            probes = List.copyOf(v);
            return this;
        }

        /** A header every HTTP probe sends (unless it sets that header itself), with its value. */
        public Builder header(String name, String value) {
            if (name == null || !name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
                problems.add(Problem.of(Key.HEADERS.key(), "'" + name + "' is not an HTTP header name", null));
            } else {
                headers.put(name, value);
            }
            return this;
        }

        public Builder directory(Path v) {
            directory = v;
            return this;
        }

        public Builder auditLog(Path v) {
            auditLog = v;
            return this;
        }

        /** Where notifications go; they replace any. */
        public Builder notify(List<NotifyEndpoint> v) {
            notify = List.copyOf(v);
            return this;
        }

        public Builder tokenSecret(Secret v) {
            tokenSecret = v;
            return this;
        }

        /** A problem with {@code key} found by the packaging (e.g. a variable it could not read). */
        public Builder problem(Key key, String message) {
            problems.add(Problem.of(key.key(), message, null));
            return this;
        }

        /**
         * Reads {@code file} (the one strict reader: unknown and duplicate keys are errors, every problem with its
         * line and column). Its relative paths resolve against its folder; the secrets it names are read from
         * {@code env} ({@code tokenSecretEnv}, {@code notify: [slack:VAR]}, probe {@code headers: {Name: VAR}}).
         *
         * <pre>
         * branch: main
         * wait: 60s
         * samples: 5
         * holdOnErrors: false        # true: errors past the limit hold (exit 4) instead of reverting
         * probes:
         *   - http: https://app.example.com/health
         *     method: GET
         *     status: 200-299
         *     bodyRegex: '"ok"'
         *     json: status=UP
         *     timeout: 2s
         *     headers: {Authorization: HEALTH_AUTH}   # value read from $HEALTH_AUTH
         *   - tcp: 127.0.0.1:5432
         *   - cmd: ./smoke-test.sh
         * deploy: systemctl restart app
         * notify: [slack:SLACK_WEBHOOK_URL, webhook:PAGER_URL]
         * tokenSecretFile: /etc/gatekeeper/pipeline.secret
         * </pre>
         *
         * @throws SettingsException with every problem in the file
         */
        public Builder config(Path file, Map<String, String> env) throws SettingsException {
            StrictYaml.Read read = StrictYaml.read(file, "a mapping of stabilize settings");
            new FileReader(read.yaml(), read.dir(), env).read(read.root());
            read.yaml().check();
            return this;
        }

        /** @throws SettingsException with every problem found, each naming its setting */
        public StabilizeSettings build() throws SettingsException {
            List<Problem> all = new ArrayList<>(problems);
            if (probes.isEmpty() && all.stream().noneMatch(p -> Key.PROBES.key().equals(p.key()))) {
                all.add(Problem.of(Key.PROBES.key(), "at least one probe is required",
                        "http:[METHOD:]URL, tcp:HOST:PORT or cmd:COMMAND"));
            }
            if (!all.isEmpty()) {
                throw new SettingsException(all);
            }
            List<ProbeSpec> effective = new ArrayList<>();
            for (ProbeSpec p : probes) {
                effective.add(p.withDefaults(probeTimeout, expectStatus, bodyRegex, jsonField, headers));
            }
            return new StabilizeSettings(directory, remote, branch, commit, wait, confirmWait, effective, plan,
                    holdOnErrors, deploy, deployTimeout, notify, tokenSecret, repoName, maxRevertsPerDay, auditLog,
                    dryRun);
        }

        /** Reads one YAML file into this builder, every problem recorded with its place. */
        private final class FileReader {
            private final StrictYaml yaml;
            private final Path dir;
            private final Map<String, String> env;

            FileReader(StrictYaml yaml, Path dir, Map<String, String> env) {
                this.yaml = yaml;
                this.dir = dir;
                this.env = env;
            }

            void read(YamlNode root) {
                Mapping top = yaml.mapping(root, null, "a mapping of stabilize settings");
                if (top == null) {
                    return;
                }
                yaml.keys(top, FILE_KEYS);
                for (Entry e : top.entries().values()) {
                    Key key = Arrays.stream(Key.values()).filter(k -> k.key().equals(e.key())).findFirst()
                            .orElse(null);
                    if (key == null) {
                        continue; // tokenSecretEnv/File below; unknown keys are already problems
                    }
                    switch (key) {
                        case PROBES -> probes(e);
                        case NOTIFY -> notify(e);
                        case HEADERS -> headers(e, Builder.this.headers);
                        case DIR -> yaml.string(top, e.key(), "a folder").ifPresent(v -> directory = dir.resolve(v));
                        case AUDIT_LOG -> yaml.string(top, e.key(), "a file").ifPresent(v -> auditLog = dir.resolve(v));
                        default -> {
                            String v = yaml.scalar(e, null);
                            if (v != null) {
                                yaml.parse(e.value().location(), e.key(), v, t -> {
                                    apply(key, t.trim());
                                    return t;
                                }, null);
                            }
                        }
                    }
                }
                secret(top);
            }

            private void secret(Mapping top) {
                String envName = yaml.string(top, "tokenSecretEnv", "an environment variable name").orElse(null);
                String file = yaml.string(top, "tokenSecretFile", "a file").orElse(null);
                if (envName != null || file != null) {
                    Entry at = top.entries().get(envName != null ? "tokenSecretEnv" : "tokenSecretFile");
                    attempt(at, () -> tokenSecret = SecretSources.secret(env, envName,
                            file == null ? null : dir.resolve(file)));
                }
            }

            private void probes(Entry e) {
                List<ProbeSpec> out = new ArrayList<>();
                for (YamlNode n : yaml.items(e, "a list of probes")) {
                    ProbeSpec p = probe(n);
                    if (p != null) {
                        out.add(p);
                    }
                }
                probes = out;
            }

            private ProbeSpec probe(YamlNode n) {
                if (n instanceof Scalar s && s.value() != null) {
                    return yaml.parse(n.location(), "probes", s.value(), ProbeSpec::parse, null).orElse(null);
                }
                Mapping m = yaml.mapping(n, "probes", "a probe: http:, tcp: or cmd:, as text or a mapping");
                if (m == null) {
                    return null;
                }
                yaml.keys(m, PROBE_KEYS);
                List<String> kinds = m.entries().keySet().stream().filter(k -> Set.of("http", "tcp", "cmd")
                        .contains(k)).toList();
                if (kinds.size() != 1) {
                    yaml.problem(m.location(), "probes", "a probe needs exactly one of http, tcp, cmd (has " + kinds
                            + ")", "http: URL | tcp: HOST:PORT | cmd: COMMAND");
                    return null;
                }
                String kind = kinds.get(0);
                ProbeSpec p = yaml.value(m, kind, v -> ProbeSpec.parse(kind + ":" + v), null).orElse(null);
                if (p == null) {
                    return null;
                }
                p = with(m, "method", p, ProbeSpec::method);
                p = with(m, "status", p, ProbeSpec::status);
                p = with(m, "bodyRegex", p, ProbeSpec::bodyRegex);
                p = with(m, "json", p, ProbeSpec::json);
                p = with(m, "timeout", p, (spec, v) -> spec.timeout(Values.positiveDuration(v)));
                Entry h = m.entries().get("headers");
                if (h != null) {
                    Map<String, String> own = new LinkedHashMap<>();
                    headers(h, own);
                    for (Map.Entry<String, String> header : own.entrySet()) {
                        p = p.header(header.getKey(), header.getValue());
                    }
                }
                return p;
            }

            private ProbeSpec with(Mapping m, String key, ProbeSpec p,
                    java.util.function.BiFunction<ProbeSpec, String, ProbeSpec> set) {
                return yaml.value(m, key, v -> set.apply(p, v), null).orElse(p);
            }

            /** {@code {Name: VAR}}: each header's value read from its variable. */
            private void headers(Entry e, Map<String, String> into) {
                Mapping m = yaml.mapping(e.value(), e.key(), "{Header-Name: ENVVAR}");
                if (m == null) {
                    return;
                }
                for (Entry h : m.entries().values()) {
                    String var = yaml.scalar(h, "the variable holding the value");
                    if (var != null) {
                        attempt(h, () -> into.put(h.key(), SecretSources.variable(env, var.trim(), "header "
                                + h.key())));
                    }
                }
            }

            private void notify(Entry e) {
                List<NotifyEndpoint> out = new ArrayList<>();
                for (String spec : yaml.strings(e, "[slack:VAR, discord:VAR, webhook:VAR]")) {
                    attempt(e, () -> out.add(SecretSources.notify(env, spec)));
                }
                notify = out;
            }

            /** Runs {@code r}; what it cannot read is a problem at {@code at} (naming a variable, never a value). */
            private void attempt(Entry at, Runnable r) {
                try {
                    r.run();
                } catch (IllegalArgumentException ex) {
                    yaml.problem(at.value().location(), at.key(), ex.getMessage(), null);
                }
            }
        }
    }
}
