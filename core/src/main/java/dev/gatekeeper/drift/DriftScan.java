package dev.gatekeeper.drift;

import dev.gatekeeper.git.GitCli;
import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.events.EventLog;
import dev.gatekeeper.gate.GateEnvironment;
import dev.gatekeeper.watch.MonitoredRun;
import dev.gatekeeper.install.HookStatus;
import dev.gatekeeper.notify.Alert;
import dev.gatekeeper.notify.Notifier;
import dev.gatekeeper.notify.WebhookNotifier;
import dev.gatekeeper.outcome.Outcome;
import dev.gatekeeper.settings.SettingsException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import dev.gatekeeper.install.HookRuntime;
import dev.gatekeeper.install.Owner;

/**
 * {@code gatekeeper drift scan}: scans every target (in parallel, bounded), heals when asked, alerts on changes and
 * remembers what it saw. One target's failure is that target's ERROR result; it never stops the others.
 */
public final class DriftScan {
    private List<Target> targets = List.of();
    private int parallel = 8;
    private int shard = 1;
    private int shards = 1;
    private boolean heal;
    private boolean incremental = true;
    private Path stateFile;
    private Notifier notifier;
    private Map<String, String> env = System.getenv();
    private String githubApiUrl;
    private String githubToken;
    private Duration timeout = Duration.ofSeconds(20);
    private Clock clock = Clock.systemUTC();
    private Consumer<String> progress = s -> { };
    private Supplier<HookRuntime> hookRuntime;
    private boolean hookSelfTest = true;

    public DriftScan setTargets(List<Target> v) { this.targets = List.copyOf(v); return this; }
    public DriftScan setParallel(int v) { this.parallel = Math.max(1, v); return this; }
    /** Scan only the targets of shard {@code i} of {@code n} (1-based), chosen by a stable hash of the target. */
    public DriftScan setShard(int i, int n) { this.shard = i; this.shards = n; return this; }
    public DriftScan setHeal(boolean v) { this.heal = v; return this; }
    public DriftScan setIncremental(boolean v) { this.incremental = v; return this; }
    public DriftScan setStateFile(Path v) { this.stateFile = v; return this; }
    public Path stateFile() { return stateFile; }
    public DriftScan setNotifier(Notifier v) { this.notifier = v; return this; }
    public DriftScan setEnv(Map<String, String> v) { this.env = Map.copyOf(v); return this; }
    public DriftScan setGitHub(String apiUrl, String token) { this.githubApiUrl = apiUrl; this.githubToken = token; return this; }
    public DriftScan setTimeout(Duration v) { this.timeout = v; return this; }
    public DriftScan setClock(Clock v) { this.clock = v; return this; }
    /** The runtime a heal reinstalls hooks with when the recorded one is gone (the CLI gives its own). */
    public DriftScan setHookRuntime(Supplier<HookRuntime> v) { this.hookRuntime = v; return this; }
    /** Whether a heal's reinstall proves itself by running the gate (default on). */
    public DriftScan setHookSelfTest(boolean v) { this.hookSelfTest = v; return this; }
    /** Called with "done/total" after each target, for a progress line. */
    public DriftScan setProgress(Consumer<String> v) { this.progress = v; return this; }

    /** Everything one run found and did. */
    public record Report(List<TargetResult> results, List<String> alertsSent, List<String> problems, boolean healed) {
        public ExitCode exitCode() {
            return verdict().exitCode();
        }

        /** Drift when anything was found; else inconclusive when a target could not be scanned; else clean. */
        public DriftVerdict verdict() {
            if (results.stream().anyMatch(r -> r.status() == TargetResult.Status.DRIFT)) {
                return DriftVerdict.DRIFT;
            }
            if (results.stream().anyMatch(r -> r.status() == TargetResult.Status.ERROR)) {
                return DriftVerdict.INCONCLUSIVE;
            }
            return DriftVerdict.CLEAN;
        }

        /** The report as every packaging shows it: its verdict, summary and report; its problems as warnings. */
        public Outcome<DriftReport> outcome() {
            return new Outcome<>(verdict(), summary(), DriftReport.of(this), problems);
        }

        /** How many findings, over all targets. */
        public int findingCount() {
            return results.stream().mapToInt(r -> r.findings().size()).sum();
        }

        /** How many targets could not be scanned. */
        public int errorCount() {
            return (int) results.stream().filter(r -> r.status() == TargetResult.Status.ERROR).count();
        }

        /** One line for a log or an annotation: what was found, or why the scan is not to be trusted. */
        public String summary() {
            long drifting = results.stream().filter(r -> r.status() == TargetResult.Status.DRIFT).count();
            return switch (exitCode()) {
                case OK -> "no drift in " + results.size() + " target(s)";
                case REFUSED -> "drift found: " + findingCount() + " finding(s) in " + drifting + " of "
                        + results.size() + " target(s)";
                default -> errorCount() + " target(s) could not be scanned, first "
                        + results.stream().filter(r -> r.status() == TargetResult.Status.ERROR)
                                .map(r -> r.target().id() + ": " + r.error()).findFirst().orElse("");
            };
        }
    }

    /**
     * A scan with {@code s}, in {@code env} (the default state file, the git and GitHub calls); its alerts go to
     * {@code s.alertWebhook()}.
     */
    public static DriftScan of(DriftScanSettings s, Map<String, String> env) {
        DriftScan scan = new DriftScan().setTargets(s.targets()).setParallel(s.parallel()).setHeal(s.heal())
                .setIncremental(s.incremental()).setShard(s.shard(), s.shards()).setEnv(env)
                .setGitHub(s.githubApiUrl(), s.githubToken())
                .setStateFile(s.stateFile() != null ? s.stateFile() : TargetSpecs.defaultStateFile(env));
        if (s.alertWebhook() != null) {
            scan.setNotifier(new WebhookNotifier(s.alertWebhook(), Duration.ofSeconds(5)));
        }
        return scan;
    }

    /** The scan as every packaging shows it: its verdict, summary and report; what it could not do, as warnings. */
    public Outcome<DriftReport> outcome() throws GatekeeperException {
        return call().outcome();
    }

    /**
     * What a run of this scan tells the watcher ({@link MonitoredRun}): its findings by kind (every kind, 0 included)
     * and the logs its events are counted from, {@code drift-events.jsonl} beside the state file and the gate's audit
     * logs of the bare targets (refusals are in the security log, break-glass uses in the ledger).
     */
    public MonitoredRun.Facts runFacts(Outcome<DriftReport> o) {
        if (o.report() == null) {
            return new MonitoredRun.Facts(o.summary(), Map.of(), List.of());
        }
        Map<String, Long> kinds = new java.util.TreeMap<>();
        for (Finding.Kind k : Finding.Kind.values()) {
            kinds.put(k.wire(), 0L);
        }
        o.report().targets().forEach(r -> r.findings().forEach(f -> kinds.merge(f.kind().wire(), 1L, Long::sum)));
        List<Path> logs = new ArrayList<>();
        logs.add(stateFile.toAbsolutePath().resolveSibling("drift-events.jsonl"));
        for (Target t : targets) {
            if (t.kind() == Target.Kind.BARE) {
                try {
                    var trail = GateEnvironment.load(Path.of(t.location()), env).auditTrail();
                    for (var r : dev.gatekeeper.events.AuditTrail.Retention.values()) {
                        logs.add(trail.log(r).file());
                    }
                } catch (RuntimeException unreadable) {
                    // the scan reported it; its counts wait for a readable policy
                }
            }
        }
        return new MonitoredRun.Facts(o.summary(), kinds, logs);
    }

    public Report call() throws GatekeeperException {
        if (targets.isEmpty()) {
            throw SettingsException.of(null, "no targets to scan", "a config file, checkouts, bares or GitHub "
                    + "repositories");
        }
        if (shards < 1 || shard < 1 || shard > shards) {
            throw SettingsException.of(DriftScanSettings.Key.SHARD.key(), "must be I/N with 1 <= I <= N", null);
        }
        if (stateFile == null) {
            throw SettingsException.of(DriftScanSettings.Key.STATE_FILE.key(), "no state file", null);
        }
        List<Target> mine = targets.stream().filter(t -> Math.floorMod(t.id().hashCode(), shards) == shard - 1)
                .toList();
        DriftState before;
        try {
            before = DriftState.read(stateFile);
        } catch (IOException e) {
            throw new GatekeeperException(ExitCode.USAGE, e.getMessage(), e);
        }
        EventLog events = new EventLog(stateDir().resolve("drift-events.jsonl"), 10L * 1024 * 1024, 5);
        Instant scanned = clock.instant(); // drift.found is dated before any heal of this run
        List<TargetResult> results = scanAll(mine, before, events);

        Instant now = clock.instant();
        List<String> sent = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, DriftState.TargetState> next = new HashMap<>();
        for (TargetResult r : results) {
            DriftState.TargetState prev = before.targets().get(r.target().id());
            List<String> alerted = prev == null ? List.of() : prev.alerted();
            String alertedAt = prev == null ? null : prev.alertedAt();
            Alert a = Alerts.decide(r, prev, now);
            boolean told = false;
            if (a != null && notifier != null) {
                String problem = Alerts.send(notifier, a);
                if (problem == null) {
                    sent.add(a.title());
                    told = true;
                    alerted = r.findings().stream().map(Finding::key).toList();
                    alertedAt = alerted.isEmpty() ? null : now.toString();
                } else {
                    problems.add(problem);
                }
            }
            String unrecorded = DriftEvents.record(events, r, prev, told ? a : null, scanned, now);
            if (unrecorded != null) {
                problems.add(unrecorded);
            }
            DriftState.TargetState ts = r.status() == TargetResult.Status.ERROR && prev != null
                    ? new DriftState.TargetState(null, prev.findings(), r.error(), alerted, alertedAt)
                    : new DriftState.TargetState(r.healed().isEmpty() ? r.fingerprint() : null, r.findings(),
                            r.error(), alerted, alertedAt);
            next.put(r.target().id(), ts);
        }
        try {
            DriftState.update(stateFile, s -> {
                Map<String, DriftState.TargetState> all = new HashMap<>(s.targets());
                all.putAll(next);
                return new DriftState(DriftState.VERSION, all);
            });
        } catch (IOException e) {
            problems.add("state not saved to " + stateFile + ": " + e.getMessage());
        }
        return new Report(results, sent, problems, heal);
    }

    private List<TargetResult> scanAll(List<Target> mine, DriftState before, EventLog events)
            throws GatekeeperException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, Math.max(1, mine.size())), r -> {
            Thread t = new Thread(r, "drift-scan");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger done = new AtomicInteger();
        try {
            List<Future<TargetResult>> futures = new ArrayList<>();
            for (Target t : mine) {
                futures.add(pool.submit(() -> {
                    TargetResult r = scanOne(t, before.targets().get(t.id()), events);
                    progress.accept(done.incrementAndGet() + "/" + mine.size());
                    return r;
                }));
            }
            List<TargetResult> out = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    out.add(futures.get(i).get());
                } catch (java.util.concurrent.ExecutionException e) {
                    out.add(TargetResult.error(mine.get(i), "internal error: " + e.getCause()));
                }
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatekeeperException(ExitCode.INCONCLUSIVE, "interrupted");
        } finally {
            pool.shutdownNow();
        }
    }

    private TargetResult scanOne(Target t, DriftState.TargetState prev, EventLog events) {
        try {
            String fp = switch (t.kind()) {
                case CHECKOUT -> Fingerprint.checkout(Path.of(t.location()));
                case BARE -> Fingerprint.bare(Path.of(t.location()));
                case GITHUB -> null;
            };
            if (incremental && fp != null && prev != null && prev.error() == null && fp.equals(prev.fingerprint())
                    && !(heal && !prev.findings().isEmpty())) {
                return TargetResult.of(t, prev.findings(), fp).asSkipped();
            }
            TargetResult r = switch (t.kind()) {
                case CHECKOUT -> CheckoutScanner.scan(t, fp, gitFor(t));
                case BARE -> BareScanner.scan(t, fp, env, gitFor(t));
                case GITHUB -> GitHubScanner.scan(t, githubApiUrl, githubToken, timeout);
            };
            return heal && r.status() == TargetResult.Status.DRIFT ? heal(r, events) : r;
        } catch (IOException | RuntimeException e) {
            return TargetResult.error(t, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return TargetResult.error(t, "interrupted");
        }
    }

    private TargetResult heal(TargetResult r, EventLog events) {
        Target t = r.target();
        try {
            if (t.kind() == Target.Kind.CHECKOUT) {
                Path dir = Path.of(t.location());
                if (ForeignRepository.foreign(dir)) {
                    Owner owner = Owner.of(dir);
                    return r.withHealed(List.of("HEAL REFUSED: " + dir + " belongs to " + owner.describe()
                            + "; files the scanner wrote there would be " + Owner.current().name() + "'s. Heal it"
                            + " as its owner: sudo -u " + owner.name() + " gatekeeper drift scan --checkout "
                            + t.location() + (t.branch() == null ? "" : "@" + t.branch()) + " --heal"));
                }
                return r.withHealed(Heal.checkout(t, stateDir(), clock.instant(), events, gitFor(t)));
            }
            if (t.kind() == Target.Kind.BARE && r.findings().stream().anyMatch(f -> (f.kind() == Finding.Kind.HOOKS
                    || f.kind() == Finding.Kind.HOOKS_OUTDATED) && f.heal() != null)) {
                Path gitDir = Path.of(t.location()).toAbsolutePath().normalize();
                return r.withHealed(Heal.hooks(gitDir, HookStatus.check(gitDir, env), events, hookRuntime,
                        hookSelfTest, env));
            }
            return r;
        } catch (IOException | RuntimeException e) {
            return r.withHealed(List.of("HEAL FAILED: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return r.withHealed(List.of("HEAL FAILED: interrupted"));
        }
    }

    /** git for one target: hardened for a repository another user owns ({@link ForeignRepository}). */
    private GitCli gitFor(Target t) throws IOException, InterruptedException {
        return ForeignRepository.gitFor(git(), Path.of(t.location()).toAbsolutePath().normalize());
    }

    /** git runs with the scan's environment (e.g. a Jenkins build's), in C locale so its messages parse. */
    private GitCli git() {
        Map<String, String> gitEnv = new java.util.HashMap<>(env);
        gitEnv.put("LC_ALL", "C");
        return new GitCli(gitEnv, GitCli.DEFAULT_TIMEOUT);
    }

    private Path stateDir() {
        Path parent = stateFile.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }
}
