package dev.gatekeeper.watch;

import dev.gatekeeper.notify.NotifyTarget;
import dev.gatekeeper.policy.PolicyException;
import dev.gatekeeper.policy.Units;
import dev.gatekeeper.policy.YamlNode;
import dev.gatekeeper.policy.YamlNode.Entry;
import dev.gatekeeper.policy.YamlNode.Mapping;
import dev.gatekeeper.policy.YamlNode.Scalar;
import dev.gatekeeper.policy.YamlNode.Sequence;
import dev.gatekeeper.policy.YamlTreeReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code gatekeeper watch} expects ({@code --config watch.yaml}), strict like the policy: a misspelt key is
 * an error with file, line and column, because a watcher that silently watches nothing is the failure it exists
 * to catch. Relative paths resolve against the file's folder.
 *
 * <pre>
 * version: 1
 * heartbeatDir: /var/lib/gatekeeper/heartbeats   # default: as the jobs ($GATEKEEPER_HEARTBEAT_DIR, …)
 * state: /var/lib/gatekeeper/watch-state.json     # default: watch-state.json beside heartbeatDir
 * remindEvery: 1d
 * notify: [webhook:GATEKEEPER_WATCH_WEBHOOK]      # slack:VAR, discord:VAR, webhook:VAR
 * jobs:
 *   - name: drift-scan
 *     period: 1h          # it should run at least this often
 *     grace: 15m          # and may be this late (start-up, a slow run, the timer's random delay)
 *     failAfter: 2        # failed runs in a row before it counts as failing (default 2)
 * </pre>
 */
public record WatchConfig(Path heartbeatDir, Path state, Duration remindEvery, List<NotifyTarget> notifyTargets,
        List<Job> jobs) {
    public static final Duration DEFAULT_REMIND = Duration.ofDays(1);
    public static final int DEFAULT_FAIL_AFTER = 2;
    static final Set<String> TOP = Set.of("version", "heartbeatDir", "state", "remindEvery", "notify", "jobs");
    static final Set<String> JOB = Set.of("name", "period", "grace", "failAfter");

    public WatchConfig {
        notifyTargets = List.copyOf(notifyTargets);
        jobs = List.copyOf(jobs);
    }

    /** One expected job. */
    public record Job(String name, Duration period, Duration grace, int failAfter) {
        /** The latest a next run may start after {@code lastStart} before the job is overdue. */
        public Duration allowed() {
            return period.plus(grace);
        }
    }

    public static WatchConfig load(Path file) throws PolicyException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PolicyException(List.of(new PolicyException.Problem(file.toString(), 1, 1, null,
                    "cannot read: " + e.getMessage(), "a readable YAML file")));
        }
        Path base = file.toAbsolutePath().normalize().getParent();
        YamlNode root = new YamlTreeReader(file.toString()).read(new StringReader(text));
        return new Parser(file.toString(), base).parse(root);
    }

    private static final class Parser {
        private final String file;
        private final Path base;
        private final List<PolicyException.Problem> problems = new ArrayList<>();

        Parser(String file, Path base) {
            this.file = file;
            this.base = base;
        }

        WatchConfig parse(YamlNode root) throws PolicyException {
            if (!(root instanceof Mapping top)) {
                problem(root.location(), null, "must be a mapping", "version, jobs, …");
                throw new PolicyException(problems);
            }
            keys(top, TOP);
            Entry v = top.entries().get("version");
            if (v == null || !"1".equals(scalar(v))) {
                problem(v == null ? top.location() : v.value().location(), "version", "must be 1", "version: 1");
            }
            String hb = text(top, "heartbeatDir");
            String st = text(top, "state");
            Duration remind = duration(top, "remindEvery", DEFAULT_REMIND);
            List<NotifyTarget> notify = new ArrayList<>();
            Entry n = top.entries().get("notify");
            if (n != null) {
                if (n.value() instanceof Sequence s) {
                    for (YamlNode item : s.items()) {
                        String spec = item instanceof Scalar sc ? sc.value() : null;
                        try {
                            notify.add(NotifyTarget.parse(spec == null ? "" : spec));
                        } catch (IllegalArgumentException e) {
                            problem(item.location(), "notify", e.getMessage(), null);
                        }
                    }
                } else {
                    problem(n.value().location(), "notify", "must be a list", "[webhook:VAR, slack:VAR]");
                }
            }
            List<Job> jobs = new ArrayList<>();
            Entry je = top.entries().get("jobs");
            if (je == null || !(je.value() instanceof Sequence seq) || seq.items().isEmpty()) {
                problem(je == null ? top.location() : je.value().location(), "jobs", "missing, empty or not a list",
                        "a list of {name, period, grace}");
            } else {
                Set<String> names = new HashSet<>();
                for (YamlNode item : seq.items()) {
                    Job j = job(item);
                    if (j != null && !names.add(j.name())) {
                        problem(item.location(), "name", "job '" + j.name() + "' is listed twice", null);
                    } else if (j != null) {
                        jobs.add(j);
                    }
                }
            }
            if (!problems.isEmpty()) {
                problems.sort(java.util.Comparator.comparingInt(PolicyException.Problem::line)
                        .thenComparingInt(PolicyException.Problem::column));
                throw new PolicyException(problems);
            }
            return new WatchConfig(hb == null ? null : base.resolve(hb).normalize(),
                    st == null ? null : base.resolve(st).normalize(), remind, notify, jobs);
        }

        private Job job(YamlNode item) {
            if (!(item instanceof Mapping m)) {
                problem(item.location(), "jobs", "each job must be a mapping", "{name, period, grace}");
                return null;
            }
            keys(m, JOB);
            String name = text(m, "name");
            if (name == null) {
                if (!m.entries().containsKey("name")) {
                    problem(m.location(), "name", "missing", "the job name its runs record (--job)");
                }
                return null;
            }
            try {
                Heartbeats.checkJobName(name);
            } catch (IllegalArgumentException e) {
                problem(m.entries().get("name").value().location(), "name", e.getMessage(), null);
                return null;
            }
            if (!m.entries().containsKey("period")) {
                problem(m.location(), "period", "missing", "how often the job runs, e.g. 1h");
                return null;
            }
            Duration period = duration(m, "period", null);
            Duration grace = duration(m, "grace", Duration.ZERO);
            int failAfter = DEFAULT_FAIL_AFTER;
            String fa = text(m, "failAfter");
            if (fa != null) {
                try {
                    failAfter = Integer.parseInt(fa);
                    if (failAfter < 1) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    problem(m.entries().get("failAfter").value().location(), "failAfter", "invalid value '" + fa
                            + "'", "a whole number, at least 1");
                }
            }
            if (period == null || period.isZero()) {
                if (period != null) {
                    problem(m.entries().get("period").value().location(), "period", "must be longer than 0", null);
                }
                return null;
            }
            return new Job(name, period, grace == null ? Duration.ZERO : grace, failAfter);
        }

        private Duration duration(Mapping m, String key, Duration d) {
            String s = text(m, key);
            if (s == null) {
                return d;
            }
            try {
                return Units.duration(s);
            } catch (IllegalArgumentException e) {
                problem(m.entries().get(key).value().location(), key, "invalid value '" + s + "'", e.getMessage());
                return d;
            }
        }

        private String text(Mapping m, String key) {
            Entry e = m.entries().get(key);
            return e == null ? null : scalar(e);
        }

        private String scalar(Entry e) {
            if (e.value() instanceof Scalar s && s.value() != null && !s.value().isBlank()) {
                return s.value();
            }
            problem(e.value().location(), e.key(), "must be a single non-empty value", null);
            return null;
        }

        private void keys(Mapping m, Set<String> allowed) {
            for (Entry e : m.entries().values()) {
                if (!allowed.contains(e.key())) {
                    problem(e.keyLocation(), e.key(), "unknown key", String.join(", ", new TreeSet<>(allowed)));
                }
            }
        }

        private void problem(YamlNode.Location at, String key, String message, String allowed) {
            problems.add(new PolicyException.Problem(file, at.line(), at.column(), key, message, allowed));
        }
    }
}
