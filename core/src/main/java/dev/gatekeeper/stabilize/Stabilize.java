package dev.gatekeeper.stabilize;

import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.events.Event;
import dev.gatekeeper.events.EventIds;
import dev.gatekeeper.events.EventLog;
import dev.gatekeeper.gate.GateEnvironment;
import dev.gatekeeper.identity.RepositoryIdentity;
import dev.gatekeeper.notify.NotifyEndpoint;
import dev.gatekeeper.outcome.Outcome;
import dev.gatekeeper.policy.Units;
import dev.gatekeeper.settings.SettingsException;
import dev.gatekeeper.stabilize.StabilizeDecision.Step;
import dev.gatekeeper.verify.WorkingClone;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
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
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * {@code gatekeeper stabilize} as every packaging runs it: wait for the merged change to settle, probe, and when
 * the probes say it broke the service, revert it in git, redeploy, probe again, and say so (events, notifications,
 * the outcome). Packagings fill {@link StabilizeSettings} and render the {@link Outcome}.
 *
 * <p>This class measures and acts; {@link StabilizeDecision} judges each phase (failures past the limit, and
 * errors in a row past it, revert unless errors hold; nothing to judge by is inconclusive), and
 * {@link StabilizeJournal} writes the events and sends the notifications. Time is the injected clock and sleeper.
 */
public final class Stabilize {
    private final StabilizeSettings settings;
    private Map<String, String> env = Map.of();
    private Consumer<String> progress = s -> { };
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.SYSTEM;

    public Stabilize(StabilizeSettings settings) {
        this.settings = settings;
    }

    /** The environment of git, the probes' commands and the deploy (not where settings come from). */
    public Stabilize setEnv(Map<String, String> v) { this.env = v; return this; }
    /** Receives progress lines (probe samples, deploy), e.g. for stderr. */
    public Stabilize setProgress(Consumer<String> v) { this.progress = v; return this; }
    public Stabilize setClock(Clock v) { this.clock = v; return this; }
    public Stabilize setSleeper(Sleeper v) { this.sleeper = v; return this; }

    /**
     * @throws SettingsException when the settings do not fit the clone (not a clone, a detached HEAD without a
     *                           branch, an unknown commit)
     */
    public Outcome<StabilizeReport> call() throws GatekeeperException, InterruptedException {
        Optional<WorkingClone> found = WorkingClone.find(settings.directory());
        if (found.isEmpty()) {
            throw SettingsException.of(StabilizeSettings.Key.DIR.key(), "not a git working clone: "
                    + settings.directory().toAbsolutePath(), "a folder in a git working clone");
        }
        try (WorkingClone clone = found.get()) {
            return new Run(clone).go();
        }
    }

    /** One run: its clone, what it found so far, its journal. */
    private final class Run {
        final WorkingClone clone;
        final Repository repo;
        final String runId = EventIds.next();
        final Facts facts = new Facts();
        String branch;
        String ref;
        String merged;
        List<Probe> probes;
        StabilizeJournal journal;

        Run(WorkingClone clone) {
            this.clone = clone;
            this.repo = clone.repository();
        }

        Outcome<StabilizeReport> go() throws GatekeeperException, InterruptedException {
            resolveTarget();
            probes = settings.probes().stream().map(p -> p.open(clone.workTreeOrGitDir())).toList();
            journal = new StabilizeJournal(new EventLog(auditLogPath(), GateEnvironment.DEFAULT_MAX_FILE,
                    GateEnvironment.DEFAULT_MAX_FILES), settings.notifications().stream().map(NotifyEndpoint::open)
                    .toList(), runId, clone.workTreeOrGitDir().toString(), settings.dryRun(), clock);
            journal.event(Event.of(dev.gatekeeper.events.EventType.STABILIZE_START).id(runId).ref(ref).newId(merged)
                    .detail("wait", Units.format(settings.waitFor()))
                    .detail("probes", String.join(", ", probes.stream().map(Probe::name).toList()))
                    .detail("samples", Integer.toString(settings.plan().samples()))
                    .detail("interval", Units.format(settings.plan().interval())));
            progress.accept("stabilize: waiting " + Units.format(settings.waitFor()) + " for " + abbrev(merged)
                    + " on " + branch + " to settle");
            sleeper.sleep(settings.waitFor());
            Analysis first = analyse();
            facts.probe = first.verdict();
            Step step = StabilizeDecision.afterProbes(first.verdict(), settings.holdOnErrors());
            if (step.next() == StabilizeDecision.Next.STOP) {
                return stopAfterProbes(step, first);
            }
            String failure = first.probe() + " failed: " + first.reason()
                    + (first.verdict() == Analysis.Verdict.ERROR ? " (" + first.tally() + ")" : "");
            facts.failure = failure;
            journal.event(Event.of(step.event()).ref(ref).newId(merged).decision(step.decision()).reason(failure)
                    .detail("tally", first.tally()));
            return revert(first, failure);
        }

        private Outcome<StabilizeReport> stopAfterProbes(Step step, Analysis first) {
            if (step.verdict() == StabilizeVerdict.HEALTHY) {
                journal.event(Event.of(step.event()).ref(ref).newId(merged).decision(step.decision())
                        .detail("samples", Integer.toString(first.samples())));
                return done(step, "healthy: " + first.samples() + " sample(s), every probe passed");
            }
            boolean held = step.decision().equals("held");
            journal.event(Event.of(step.event()).ref(ref).newId(merged).decision(step.decision())
                    .reason(first.probe() + ": " + first.reason() + " (" + first.tally() + ")"));
            String s = "inconclusive: " + first.probe() + ": " + first.reason() + " (" + first.tally() + "); "
                    + (held ? "holding on errors as configured (holdOnErrors), nothing reverted"
                    : "nothing to judge the service by, nothing reverted");
            tell(step, "probes inconclusive on " + branch, s);
            return done(step, s);
        }

        private Outcome<StabilizeReport> revert(Analysis first, String failure)
                throws GatekeeperException, InterruptedException {
            AutoRevert.Result r;
            try {
                r = new AutoRevert().setRepository(repo).setRemote(settings.remote()).setBranch(branch)
                        .setReverted(ObjectId.fromString(merged)).setSubject(oneLine(failure)).setEventId(runId)
                        .setSecret(settings.tokenSecret()).setRepoName(repoName())
                        .setDailyCap(settings.maxRevertsPerDay()).setDryRun(settings.dryRun()).setGitEnv(env)
                        .setIdentity(AutoRevert.identity(env, repo)).setClock(clock).setWarn(journal::warn).call();
            } catch (IOException e) {
                return stop(StabilizeDecision.revertFailed(), "cannot revert " + merged + ": " + e.getMessage(), null);
            } catch (GatekeeperException e) {
                return stop(StabilizeDecision.revertFailed(), e.getMessage(), null);
            }
            facts.revertStatus = r.status();
            facts.revert = r.revert();
            facts.branchTip = r.tip();
            if (r.computed() != null) {
                facts.revertMs = r.computed().nanos() / 1_000_000;
                facts.revertMethod = r.computed().method();
            }
            Step step = StabilizeDecision.afterRevert(r.status());
            String byHand = AutoRevert.humanCommand(settings.remote(), branch, ObjectId.fromString(merged),
                    isMerge());
            switch (r.status()) {
                case WOULD_PUSH -> {
                    facts.wouldRevertMessage = r.message();
                    facts.wouldDeploy = settings.deploy();
                    return done(step, "dry run: " + failure + "; would revert " + abbrev(merged) + " on " + branch
                            + " (tip " + abbrev(r.tip()) + ")" + (settings.deploy() == null ? ""
                            : ", then run: " + settings.deploy()) + "; nothing written");
                }
                case CONFLICT -> {
                    facts.conflicts = r.conflicts();
                    facts.command = byHand;
                    return stop(step, r.reason() + ". Nothing was pushed and the clone is untouched. A human must "
                            + "revert by hand, resolve, and land it: " + byHand, r.tip());
                }
                case NOTHING_TO_REVERT -> {
                    return stop(step, failure + "; " + r.reason() + ". Nothing was pushed: reverting cannot be "
                            + "what heals it, a human must act", r.tip());
                }
                case LOOP_GUARD, CAP_REACHED, NOT_ON_BRANCH -> {
                    return stop(step, failure + "; " + r.reason() + ". Not reverting: a human must act", r.tip());
                }
                case PUSH_FAILED -> {
                    // every line of the gate's refusal: its "why" and "how to land it" are the point
                    r.remoteLines().forEach(l -> progress.accept("push refused: " + l));
                    facts.pushRefusal = r.remoteLines().isEmpty() ? null : r.remoteLines();
                    return stop(step, r.reason() + ". Nothing was pushed; to revert by hand: " + byHand, r.tip());
                }
                case ALREADY_REVERTED -> journal.event(Event.of(step.event()).ref(ref).oldId(merged)
                        .newId(r.revert()).decision(step.decision()).reason(r.reason()));
                default -> {
                    long ms = Duration.between(first.decidedAt(), r.pushedAt()).toMillis();
                    facts.thresholdToPushMs = ms;
                    journal.event(Event.of(step.event()).ref(ref).oldId(r.tip()).newId(r.revert())
                            .proof(settings.tokenSecret() == null ? "none" : "token").decision(step.decision())
                            .reason("reverts " + merged + ": " + failure)
                            .detail("threshold_to_push_ms", Long.toString(ms))
                            .detail("attempts", Integer.toString(r.attempts())));
                    progress.accept("stabilize: pushed revert " + r.revert() + " to " + branch + " (" + ms
                            + " ms after the failing threshold)");
                }
            }
            return redeployAndConfirm(failure, r.revert());
        }

        private Outcome<StabilizeReport> redeployAndConfirm(String failure, String revert)
                throws InterruptedException {
            if (settings.deploy() != null) {
                progress.accept("stabilize: deploying: " + settings.deploy());
                Deploy.Ran ran = new Deploy(settings.deploy(), settings.deployTimeout(), clone.workTreeOrGitDir())
                        .run();
                facts.deployExit = ran.exit();
                Step step = StabilizeDecision.afterDeploy(ran.ok());
                if (step.next() == StabilizeDecision.Next.STOP) {
                    return stop(step, "reverted " + abbrev(merged) + " (revert " + revert + ") but the deploy "
                            + "command failed (exit " + ran.exit() + "): " + oneLine(ran.tail()), null);
                }
                journal.event(Event.of(step.event()).ref(ref).newId(revert).decision(step.decision())
                        .reason(settings.deploy()).detail("elapsed_ms", Long.toString(ran.millis())));
            }
            sleeper.sleep(settings.confirmWait() != null ? settings.confirmWait() : settings.waitFor());
            Analysis again = analyse();
            facts.afterRevert = again.verdict();
            Step step = StabilizeDecision.afterConfirm(again.verdict());
            if (step.verdict() == StabilizeVerdict.RECOVERED) {
                String s = "recovered: " + failure + "; reverted " + abbrev(merged) + " with " + revert
                        + (settings.deploy() == null ? "" : ", redeployed") + ", probes pass again";
                journal.event(Event.of(step.event()).ref(ref).oldId(merged).newId(revert).decision(step.decision())
                        .reason(failure));
                tell(step, "auto-reverted " + branch + ": service recovered", s);
                return done(step, s);
            }
            String s = "still failing after reverting " + abbrev(merged) + " with " + revert + ": " + again.probe()
                    + ": " + again.reason() + " (" + again.tally() + "). A human must act";
            journal.event(Event.of(step.event()).ref(ref).oldId(merged).newId(revert).decision(step.decision())
                    .reason(s));
            tell(step, "auto-revert on " + branch + " did NOT recover the service", s);
            return done(step, s);
        }

        /** A human must act: the phase's event (with the tip it stopped on) and a critical notification. */
        private Outcome<StabilizeReport> stop(Step step, String why, String tip) {
            if (step.event() != null) {
                journal.event(Event.of(step.event()).ref(ref).oldId(tip).newId(merged).decision(step.decision())
                        .reason(why));
            }
            tell(step, "gatekeeper stabilize on " + branch + " needs a human", why);
            return done(step, why);
        }

        private void tell(Step step, String title, String text) {
            if (step.alert() == StabilizeDecision.Alert.NONE) {
                return;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("branch", branch);
            fields.put("merged", merged);
            if (facts.revert != null) {
                fields.put("revert", facts.revert);
            }
            if (facts.afterRevert != null) {
                fields.put("recovered", Boolean.toString(facts.afterRevert == Analysis.Verdict.HEALTHY));
            }
            journal.tell(step.alert().severity(), title, text, ref, fields);
        }

        private Analysis analyse() throws InterruptedException {
            return new ProbeAnalysis().setProbes(probes).setPlan(settings.plan()).setProgress(progress)
                    .setSleeper(sleeper).setClock(clock).call();
        }

        private Outcome<StabilizeReport> done(Step step, String summary) {
            return new Outcome<>(step.verdict(), summary, facts.report(this), journal.warnings());
        }

        private void resolveTarget() throws GatekeeperException {
            branch = settings.branch();
            if (branch == null) {
                branch = clone.currentBranch().orElseThrow(() -> SettingsException.of(
                        StabilizeSettings.Key.BRANCH.key(), "HEAD is detached: say which branch", "a branch name"));
            }
            if (branch.startsWith(Constants.R_HEADS)) {
                branch = branch.substring(Constants.R_HEADS.length());
            }
            ref = Constants.R_HEADS + branch;
            if (settings.commit() != null) {
                merged = clone.resolve(settings.commit() + "^{commit}");
                return;
            }
            try {
                ObjectId tip = repo.resolve(ref);
                merged = tip != null ? tip.name() : clone.head().orElseThrow(() -> SettingsException.of(
                        StabilizeSettings.Key.COMMIT.key(), "HEAD names no commit: say which commit was merged",
                        "a commit or revision"));
            } catch (IOException e) {
                throw SettingsException.of(StabilizeSettings.Key.BRANCH.key(), "cannot read " + ref + ": "
                        + e.getMessage(), null);
            }
        }

        private boolean isMerge() {
            try (RevWalk w = new RevWalk(repo)) {
                return w.parseCommit(ObjectId.fromString(merged)).getParentCount() > 1;
            } catch (IOException e) {
                return false;
            }
        }

        /**
         * The repository name the pipeline token is minted for: {@code repoName}, else the one derivation every
         * packaging shares: the push URL's path ({@code git@host:team/app.git} is {@code team/app}). A gate that
         * expects another name refuses the push, and the run then names the setting to fix.
         */
        private String repoName() {
            if (settings.repoName() != null) {
                return settings.repoName();
            }
            return RepositoryIdentity.ofClone(repo, settings.remote()).orElse(settings.remote());
        }

        private Path auditLogPath() {
            if (settings.auditLog() != null) {
                return settings.auditLog();
            }
            String fromEnv = env.get(GateEnvironment.ENV_AUDIT_LOG);
            if (fromEnv != null && !fromEnv.isBlank()) {
                return Path.of(fromEnv);
            }
            return clone.defaultAuditLog();
        }
    }

    /** What a run found so far; the report it ends with. */
    private final class Facts {
        Analysis.Verdict probe;
        String failure;
        AutoRevert.Status revertStatus;
        String revert;
        String branchTip;
        Long revertMs;
        GitRevert.Method revertMethod;
        String wouldRevertMessage;
        String wouldDeploy;
        List<String> conflicts;
        String command;
        List<String> pushRefusal;
        Long thresholdToPushMs;
        Integer deployExit;
        Analysis.Verdict afterRevert;

        StabilizeReport report(Run run) {
            return new StabilizeReport(run.runId, run.ref, run.merged, settings.dryRun(), probe, failure, revertStatus,
                    revert, branchTip, revertMs, revertMethod, wouldRevertMessage, wouldDeploy,
                    conflicts == null ? null : new ArrayList<>(conflicts), command, pushRefusal, thresholdToPushMs,
                    deployExit, afterRevert, run.journal.file());
        }
    }

    static String abbrev(String sha) {
        return sha == null ? "?" : AutoRevert.abbrev(ObjectId.fromString(sha));
    }

    private static String oneLine(String s) {
        String t = s.replace('\n', ' ').strip();
        return t.length() > 150 ? t.substring(0, 150) + "…" : t;
    }
}
