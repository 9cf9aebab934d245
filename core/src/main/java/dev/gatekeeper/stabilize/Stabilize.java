package dev.gatekeeper.stabilize;

import dev.gatekeeper.events.EventType;
import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.events.Event;
import dev.gatekeeper.events.EventIds;
import dev.gatekeeper.events.EventLog;
import dev.gatekeeper.gate.GateEnvironment;
import dev.gatekeeper.notify.Alert;
import dev.gatekeeper.notify.Notifier;
import dev.gatekeeper.notify.NotifyTarget;
import dev.gatekeeper.token.Secret;
import dev.gatekeeper.verify.WorkingClone;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;

/**
 * {@code gatekeeper stabilize} as every packaging runs it: wait for the merged change to settle, probe, and when
 * the probes say it broke the service, revert it in git, redeploy, probe again, and say so (events, notifications,
 * exit code). Packagings only parse their inputs and print the {@link Result}.
 *
 * <p>Judgement, as Argo Rollouts aborts a rollout whose analysis fails or ends in Error: failures past the limit
 * (a refused connection is one) and errors in a row past the limit both revert; with {@link #setHoldOnErrors}
 * errors hold instead (exit 4, nothing reverted), for services behind flaky networks. A run with nothing to
 * judge by (no measurement succeeded, too few errors to count) is inconclusive (exit 4).
 *
 * <p>Exit codes: 0 healthy from the start; 4 the probes could not be trusted (nothing done); 5 reverted and
 * recovered; 6 acted and failed, or must not act (conflict, nothing to revert, loop guard, daily cap, push or
 * deploy failed, still failing): a human must act. A dry run returns 3 where it would have reverted.
 */
public final class Stabilize {
    /** The outcome: exit code, one-line summary, report fields (for --json) in order, and warnings. */
    public record Result(ExitCode exitCode, String summary, Map<String, String> report, List<String> warnings,
                         Path auditLog) {
        /** The outcome in one word, the same in every packaging (CLI --json, Jenkins step, GitHub Action). */
        public String verdict() {
            return verdictOf(exitCode);
        }
    }

    static String verdictOf(ExitCode code) {
        return switch (code) {
            case OK -> "healthy";
            case REFUSED -> "would-revert";
            case INCONCLUSIVE -> "inconclusive";
            case RECOVERED -> "recovered";
            // conflict, loop guard, daily cap, deploy failed, still failing: not all of them acted, all need a person
            case ACTION_FAILED -> "human-must-act";
            case USAGE -> "usage-error";
            case INTERNAL_ERROR -> "internal-error";
        };
    }

    private Path directory = Path.of(".");
    private Map<String, String> env = Map.of();
    private String remote = "origin";
    private String branch;
    private String commit;
    private Duration wait = Duration.ofSeconds(60);
    private Duration confirmWait;
    private List<ProbeSpec> probes = new ArrayList<>();
    private SamplingPlan plan = SamplingPlan.DEFAULT;
    private String deploy;
    private Duration deployTimeout = Duration.ofMinutes(10);
    private List<NotifyTarget> notify = new ArrayList<>();
    private String tokenSecretEnv;
    private Path tokenSecretFile;
    private String repoName;
    private int dailyCap = 3;
    private boolean holdOnErrors;
    private Path auditLog;
    private boolean dryRun;
    private Consumer<String> progress = s -> { };

    public Stabilize setDirectory(Path v) { this.directory = v; return this; }
    public Stabilize setEnv(Map<String, String> v) { this.env = v; return this; }
    public Stabilize setRemote(String v) { this.remote = v; return this; }
    public Stabilize setBranch(String v) { this.branch = v; return this; }
    public Stabilize setCommit(String v) { this.commit = v; return this; }
    public Stabilize setWait(Duration v) { this.wait = v; return this; }
    /** The wait after the redeploy before probing again (default: {@link #setWait}). */
    public Stabilize setConfirmWait(Duration v) { this.confirmWait = v; return this; }
    public Stabilize setProbes(List<ProbeSpec> v) { this.probes = new ArrayList<>(v); return this; }
    public Stabilize setPlan(SamplingPlan v) { this.plan = v; return this; }
    public Stabilize setDeploy(String v) { this.deploy = v; return this; }
    public Stabilize setDeployTimeout(Duration v) { this.deployTimeout = v; return this; }
    public Stabilize setNotify(List<NotifyTarget> v) { this.notify = new ArrayList<>(v); return this; }
    public Stabilize setTokenSecretEnv(String v) { this.tokenSecretEnv = v; return this; }
    public Stabilize setTokenSecretFile(Path v) { this.tokenSecretFile = v; return this; }
    public Stabilize setRepoName(String v) { this.repoName = v; return this; }
    public Stabilize setDailyCap(int v) { this.dailyCap = v; return this; }
    /**
     * Errors in a row past the limit (timeouts, resets, DNS; not a refused connection, which is a failure) hold
     * instead of reverting: exit 4, nothing reverted. Default false: they revert, as Argo aborts on Error.
     */
    public Stabilize setHoldOnErrors(boolean v) { this.holdOnErrors = v; return this; }
    public Stabilize setAuditLog(Path v) { this.auditLog = v; return this; }
    public Stabilize setDryRun(boolean v) { this.dryRun = v; return this; }
    /** Receives progress lines (probe samples, deploy), e.g. for stderr. */
    public Stabilize setProgress(Consumer<String> v) { this.progress = v; return this; }

    public List<ProbeSpec> probes() {
        return probes;
    }

    public Result call() throws GatekeeperException, InterruptedException {
        if (probes.isEmpty()) {
            throw usage("at least one --probe is required (http:GET:URL, tcp:HOST:PORT or cmd:COMMAND)");
        }
        if (dailyCap < 1) {
            throw usage("--max-reverts-per-day must be at least 1");
        }
        Optional<WorkingClone> found = WorkingClone.find(directory);
        if (found.isEmpty()) {
            throw usage("not a git working clone: " + directory.toAbsolutePath() + " (use -C DIR)");
        }
        try (WorkingClone clone = found.get()) {
            return new Run(clone).go();
        }
    }

    /** One run: its clone, events and report. */
    private final class Run {
        final WorkingClone clone;
        final Repository repo;
        final Map<String, String> report = new LinkedHashMap<>();
        final List<String> warnings = new ArrayList<>();
        final EventLog log;
        final String runId = EventIds.next();
        String ref;
        String merged;
        List<Probe> opened;
        List<Notifier> notifiers;
        Secret secret;

        Run(WorkingClone clone) {
            this.clone = clone;
            this.repo = clone.repository();
            this.log = new EventLog(auditLogPath(clone), GateEnvironment.DEFAULT_MAX_FILE,
                    GateEnvironment.DEFAULT_MAX_FILES);
        }

        Result go() throws GatekeeperException, InterruptedException {
            resolveTarget();
            opened = open();
            notifiers = notifiers();
            secret = secret();
            report.put("run", runId);
            report.put("ref", ref);
            report.put("commit", merged);
            report.put("dry_run", Boolean.toString(dryRun));
            emit(Event.of(EventType.STABILIZE_START).id(runId).ref(ref).newId(merged)
                    .detail("wait", dev.gatekeeper.policy.Units.format(wait))
                    .detail("probes", String.join(", ", opened.stream().map(Probe::name).toList()))
                    .detail("samples", Integer.toString(plan.samples()))
                    .detail("interval", dev.gatekeeper.policy.Units.format(plan.interval())));
            progress.accept("stabilize: waiting " + dev.gatekeeper.policy.Units.format(wait) + " for "
                    + AutoRevert.abbrev(ObjectId.fromString(merged)) + " on " + branch + " to settle");
            Thread.sleep(wait.toMillis());
            Analysis first = analyse();
            report.put("probe", first.verdict().name().toLowerCase(java.util.Locale.ROOT));
            if (first.verdict() == Analysis.Verdict.HEALTHY) {
                emit(Event.of(EventType.PROBE_OK).ref(ref).newId(merged).decision("healthy")
                        .detail("samples", Integer.toString(first.samples())));
                return done(ExitCode.OK, "healthy: " + first.samples() + " sample(s), every probe passed");
            }
            if (first.verdict() == Analysis.Verdict.INCONCLUSIVE
                    || (first.verdict() == Analysis.Verdict.ERROR && holdOnErrors)) {
                boolean held = first.verdict() == Analysis.Verdict.ERROR;
                emit(Event.of(EventType.PROBE_INCONCLUSIVE).ref(ref).newId(merged).decision(held ? "held" : "inconclusive")
                        .reason(first.probe() + ": " + first.reason() + " (" + first.tally() + ")"));
                String s = "inconclusive: " + first.probe() + ": " + first.reason() + " (" + first.tally() + "); "
                        + (held ? "holding on errors as configured (--hold-on-errors), nothing reverted"
                        : "nothing to judge the service by, nothing reverted");
                notifyAll("warning", "probes inconclusive on " + branch, s, runId);
                return done(ExitCode.INCONCLUSIVE, s);
            }
            String failure = first.probe() + " failed: " + first.reason()
                    + (first.verdict() == Analysis.Verdict.ERROR ? " (" + first.tally() + ")" : "");
            report.put("failure", failure);
            emit(Event.of(EventType.PROBE_FAILED).ref(ref).newId(merged).decision(first.verdict() == Analysis.Verdict.ERROR
                    ? "error" : "failed").reason(failure).detail("tally", first.tally()));
            return revert(first, failure);
        }

        private Result revert(Analysis first, String failure) throws GatekeeperException, InterruptedException {
            AutoRevert.Result r;
            try {
                AutoRevert ar = new AutoRevert().setRepository(repo).setRemote(remote).setBranch(branch)
                        .setReverted(ObjectId.fromString(merged)).setSubject(oneLine(failure)).setEventId(runId)
                        .setSecret(secret).setRepoName(repoName()).setDailyCap(dailyCap).setDryRun(dryRun)
                        .setGitEnv(env).setIdentity(AutoRevert.identity(env, repo)).setWarn(warnings::add);
                r = ar.call();
            } catch (IOException e) {
                return failed(EventType.REVERT_FAILED, "cannot revert " + merged + ": " + e.getMessage(), null);
            } catch (GatekeeperException e) {
                return failed(EventType.REVERT_FAILED, e.getMessage(), null);
            }
            report.put("revert_status", r.status().name().toLowerCase(java.util.Locale.ROOT));
            put("revert", r.revert());
            put("branch_tip", r.tip());
            if (r.computed() != null) {
                report.put("revert_ms", Long.toString(r.computed().nanos() / 1_000_000));
                report.put("revert_method", r.computed().method().name().toLowerCase(java.util.Locale.ROOT)
                        .replace('_', '-'));
            }
            String byHand = AutoRevert.humanCommand(remote, branch, ObjectId.fromString(merged), isMerge());
            switch (r.status()) {
                case WOULD_PUSH -> {
                    report.put("would_revert_message", r.message());
                    put("would_deploy", deploy);
                    return done(ExitCode.REFUSED, "dry run: " + failure + "; would revert "
                            + AutoRevert.abbrev(ObjectId.fromString(merged)) + " on " + branch + " (tip "
                            + AutoRevert.abbrev(ObjectId.fromString(r.tip())) + ")"
                            + (deploy == null ? "" : ", then run: " + deploy) + "; nothing written");
                }
                case CONFLICT -> {
                    report.put("conflicts", String.join(", ", r.conflicts()));
                    report.put("command", byHand);
                    return failed(EventType.REVERT_CONFLICT, r.reason() + ". Nothing was pushed and the clone is untouched. "
                            + "A human must revert by hand, resolve, and land it: " + byHand, r.tip());
                }
                case NOTHING_TO_REVERT -> {
                    emit(Event.of(EventType.REVERT_SKIPPED).ref(ref).newId(merged).decision("nothing-to-revert")
                            .reason(r.reason()));
                    return failed(null, failure + "; " + r.reason() + ". Nothing was pushed: reverting cannot be "
                            + "what heals it, a human must act", r.tip());
                }
                case LOOP_GUARD, CAP_REACHED, NOT_ON_BRANCH -> {
                    emit(Event.of(EventType.REVERT_SKIPPED).ref(ref).newId(merged).decision("refused").reason(r.reason()));
                    return failed(null, failure + "; " + r.reason() + ". Not reverting: a human must act", r.tip());
                }
                case PUSH_FAILED -> {
                    // every line of the gate's refusal: its "why" and "how to land it" are the point
                    r.remoteLines().forEach(l -> progress.accept("push refused: " + l));
                    if (!r.remoteLines().isEmpty()) {
                        report.put("push_refusal", String.join("\n", r.remoteLines()));
                    }
                    return failed(EventType.REVERT_FAILED, r.reason() + ". Nothing was pushed; to revert by hand: " + byHand,
                            r.tip());
                }
                case ALREADY_REVERTED -> {
                    emit(Event.of(EventType.REVERT_SKIPPED).ref(ref).oldId(merged).newId(r.revert()).decision("already")
                            .reason(r.reason()));
                }
                default -> {
                    long ms = (r.pushedAtNanos() - first.decidedAtNanos()) / 1_000_000;
                    report.put("threshold_to_push_ms", Long.toString(ms));
                    emit(Event.of(EventType.REVERT_PUSHED).ref(ref).oldId(r.tip()).newId(r.revert())
                            .proof(secret == null ? "none" : "token").decision(r.status() == AutoRevert.Status.RESUMED
                                    ? "resumed" : "pushed").reason("reverts " + merged + ": " + failure)
                            .detail("threshold_to_push_ms", Long.toString(ms))
                            .detail("attempts", Integer.toString(r.attempts())));
                    progress.accept("stabilize: pushed revert " + r.revert() + " to " + branch + " (" + ms
                            + " ms after the failing threshold)");
                }
            }
            return redeployAndConfirm(failure, r.revert());
        }

        private Result redeployAndConfirm(String failure, String revert)
                throws GatekeeperException, InterruptedException {
            if (deploy != null) {
                progress.accept("stabilize: deploying: " + deploy);
                Deploy.Ran ran = new Deploy(deploy, deployTimeout, clone.workTreeOrGitDir()).run();
                report.put("deploy_exit", Integer.toString(ran.exit()));
                if (!ran.ok()) {
                    return failed(EventType.DEPLOY_FAILED, "reverted " + AutoRevert.abbrev(ObjectId.fromString(merged))
                            + " (revert " + revert + ") but the deploy command failed (exit " + ran.exit() + "): "
                            + oneLine(ran.tail()), null);
                }
                emit(Event.of(EventType.DEPLOY_RAN).ref(ref).newId(revert).decision("ok").reason(deploy)
                        .detail("elapsed_ms", Long.toString(ran.millis())));
            }
            Duration w = confirmWait != null ? confirmWait : wait;
            Thread.sleep(w.toMillis());
            Analysis again = analyse();
            report.put("after_revert", again.verdict().name().toLowerCase(java.util.Locale.ROOT));
            if (again.verdict() == Analysis.Verdict.HEALTHY) {
                String s = "recovered: " + failure + "; reverted " + AutoRevert.abbrev(ObjectId.fromString(merged))
                        + " with " + revert + (deploy == null ? "" : ", redeployed") + ", probes pass again";
                emit(Event.of(EventType.RECOVERY_CONFIRMED).ref(ref).oldId(merged).newId(revert).decision("recovered")
                        .reason(failure));
                notifyAll("warning", "auto-reverted " + branch + ": service recovered", s, runId);
                return done(ExitCode.RECOVERED, s);
            }
            String s = "still failing after reverting " + AutoRevert.abbrev(ObjectId.fromString(merged)) + " with "
                    + revert + ": " + again.probe() + ": " + again.reason() + " (" + again.tally()
                    + "). A human must act";
            emit(Event.of(EventType.RECOVERY_FAILED).ref(ref).oldId(merged).newId(revert).decision("failed").reason(s));
            notifyAll("critical", "auto-revert on " + branch + " did NOT recover the service", s, runId);
            return done(ExitCode.ACTION_FAILED, s);
        }

        /** Exit 6 with an event (unless {@code type} is null: already written) and a critical alert. */
        private Result failed(EventType type, String why, String tip) {
            if (type != null) {
                emit(Event.of(type).ref(ref).oldId(tip).newId(merged).decision("failed").reason(why));
            }
            notifyAll("critical", "gatekeeper stabilize on " + branch + " needs a human", why, runId);
            return done(ExitCode.ACTION_FAILED, why);
        }

        private Analysis analyse() throws InterruptedException {
            return new ProbeAnalysis().setProbes(opened).setPlan(plan).setProgress(progress).call();
        }

        private Result done(ExitCode code, String summary) {
            report.put("exit", Integer.toString(code.code()));
            report.put("verdict", verdictOf(code));
            report.put("summary", summary);
            return new Result(code, summary, report, warnings, log.file());
        }

        private void resolveTarget() throws GatekeeperException {
            if (branch == null) {
                branch = clone.currentBranch().orElseThrow(() -> usage("HEAD is detached: pass --branch"));
            }
            if (branch.startsWith(Constants.R_HEADS)) {
                branch = branch.substring(Constants.R_HEADS.length());
            }
            ref = Constants.R_HEADS + branch;
            if (commit != null) {
                merged = clone.resolve(commit + "^{commit}");
            } else {
                try {
                    ObjectId tip = repo.resolve(ref);
                    merged = tip != null ? tip.name() : clone.head()
                            .orElseThrow(() -> usage("HEAD names no commit: pass --commit"));
                } catch (IOException e) {
                    throw usage("cannot read " + ref + ": " + e.getMessage());
                }
            }
        }

        private boolean isMerge() {
            try (org.eclipse.jgit.revwalk.RevWalk w = new org.eclipse.jgit.revwalk.RevWalk(repo)) {
                return w.parseCommit(ObjectId.fromString(merged)).getParentCount() > 1;
            } catch (IOException e) {
                return false;
            }
        }

        private List<Probe> open() throws GatekeeperException {
            List<Probe> out = new ArrayList<>();
            for (ProbeSpec p : probes) {
                try {
                    out.add(p.open(env, clone.workTreeOrGitDir()));
                } catch (IllegalArgumentException e) {
                    throw usage("--probe: " + e.getMessage());
                }
            }
            return out;
        }

        private List<Notifier> notifiers() throws GatekeeperException {
            List<Notifier> out = new ArrayList<>();
            for (NotifyTarget t : notify) {
                try {
                    out.add(t.open(env, NotifyTarget.TIMEOUT, NotifyTarget.ATTEMPTS, NotifyTarget.BACKOFF));
                } catch (IllegalArgumentException e) {
                    throw usage("--notify: " + e.getMessage());
                }
            }
            return out;
        }

        private Secret secret() throws GatekeeperException {
            if (tokenSecretEnv == null && tokenSecretFile == null) {
                return null;
            }
            try {
                return Secret.load(env, tokenSecretEnv, tokenSecretFile).orElseThrow(() -> usage("no pipeline secret: "
                        + (tokenSecretEnv == null ? "" : "$" + tokenSecretEnv + " is not set")
                        + (tokenSecretFile == null ? "" : (tokenSecretEnv == null ? "" : " and ") + tokenSecretFile
                                + " does not exist")));
            } catch (IllegalStateException e) {
                throw usage(e.getMessage());
            }
        }

        /**
         * The repository name the pipeline token is minted for: {@code --repo-name}, else the last part of the
         * remote's URL without {@code .git}. It must be the name the server's gate knows the repository by; a gate
         * that expects another name refuses the push, and the run then names the setting to fix. (Kept in one
         * place so a better default, e.g. asking the server, replaces only this.)
         */
        private String repoName() {
            if (repoName != null) {
                return repoName;
            }
            // the one derivation every packaging shares: the push URL's path (git@host:team/app.git is team/app)
            return dev.gatekeeper.identity.RepositoryIdentity.ofClone(repo, remote).orElse(remote);
        }

        private void put(String k, String v) {
            if (v != null) {
                report.put(k, v);
            }
        }

        /** Writes an event unless this is a dry run; an audit failure is a warning, never a changed verdict. */
        private void emit(Event.Builder b) {
            if (dryRun) {
                return;
            }
            b.repository(clone.workTreeOrGitDir().toString()).detail("run", runId);
            try {
                log.append(b.build());
            } catch (IOException | RuntimeException e) {
                warnings.add("could not write the audit event to " + log.file() + ": " + e.getMessage());
            }
        }

        private void notifyAll(String severity, String title, String text, String eventId) {
            if (dryRun) {
                return;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("branch", branch);
            fields.put("merged", merged);
            if (report.containsKey("revert")) {
                fields.put("revert", report.get("revert"));
            }
            if (report.containsKey("after_revert")) {
                fields.put("recovered", Boolean.toString("healthy".equals(report.get("after_revert"))));
            }
            Alert alert = new Alert(severity, "gatekeeper: " + title, text, eventId, fields);
            for (Notifier n : notifiers) {
                try {
                    n.send(alert);
                    emit(Event.of(EventType.NOTIFY_SENT).ref(ref).decision("sent").reason(n.describe()));
                } catch (IOException | RuntimeException e) {
                    String w = "could not notify " + n.describe() + ": " + e.getMessage();
                    warnings.add(w);
                    emit(Event.of(EventType.NOTIFY_FAILED).ref(ref).decision("failed").reason(w));
                }
            }
        }
    }

    private Path auditLogPath(WorkingClone clone) {
        if (auditLog != null) {
            return auditLog;
        }
        String fromEnv = env.get(GateEnvironment.ENV_AUDIT_LOG);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        return clone.defaultAuditLog();
    }

    private static String oneLine(String s) {
        String t = s.replace('\n', ' ').strip();
        return t.length() > 150 ? t.substring(0, 150) + "…" : t;
    }

    private static GatekeeperException usage(String message) {
        return new GatekeeperException(ExitCode.USAGE, message);
    }
}
