package dev.gatekeeper.watch;

import dev.gatekeeper.notify.NotifyTarget;
import dev.gatekeeper.settings.SettingsException;
import dev.gatekeeper.settings.StrictYaml;
import dev.gatekeeper.settings.YamlNode;
import dev.gatekeeper.settings.YamlNode.Entry;
import dev.gatekeeper.settings.YamlNode.Mapping;
import dev.gatekeeper.settings.YamlNode.Scalar;
import dev.gatekeeper.settings.YamlNode.Sequence;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code gatekeeper watch} expects ({@code --config watch.yaml}), read by the one strict reader
 * ({@link StrictYaml}): a misspelt key is an error with file, line and column, because a watcher that silently watches nothing is the failure it exists
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

    public static WatchConfig load(Path file) throws SettingsException {
        StrictYaml.Read read = StrictYaml.read(file, "a mapping with 'version: 1' and 'jobs:'");
        return new Parser(read.yaml(), read.dir()).parse(read.root());
    }

    private static final class Parser {
        private final StrictYaml yaml;
        private final Path base;

        Parser(StrictYaml yaml, Path base) {
            this.yaml = yaml;
            this.base = base;
        }

        WatchConfig parse(YamlNode root) throws SettingsException {
            Mapping top = yaml.mapping(root, null, "version, jobs, …");
            if (top == null) {
                yaml.check(); // throws: the top level is no mapping
            }
            keys(top, TOP);
            yaml.version(top);
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
            yaml.check();
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
            int failAfter = yaml.number(m, "failAfter", 1, 1000, "a whole number from 1 to 1000")
                    .map(Long::intValue).orElse(DEFAULT_FAIL_AFTER);
            if (period == null || period.isZero()) {
                if (period != null) {
                    problem(m.entries().get("period").value().location(), "period", "must be longer than 0", null);
                }
                return null;
            }
            return new Job(name, period, grace == null ? Duration.ZERO : grace, failAfter);
        }

        private Duration duration(Mapping m, String key, Duration d) {
            return text(m, key) == null ? d : yaml.duration(m, key).orElse(d);
        }

        /** A non-empty single value, or null (with a problem when it is there but not one). */
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
            yaml.keys(m, allowed);
        }

        private void problem(YamlNode.Location at, String key, String message, String allowed) {
            yaml.problem(at, key, message, allowed);
        }
    }
}
