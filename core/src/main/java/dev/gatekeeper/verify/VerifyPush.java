package dev.gatekeeper.verify;

import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.events.Event;
import dev.gatekeeper.events.EventLog;
import dev.gatekeeper.gate.GateEnvironment;
import dev.gatekeeper.notify.WebhookNotifier;
import dev.gatekeeper.outcome.Outcome;
import dev.gatekeeper.settings.SettingsException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * verify-push as every packaging runs it: {@link #call()} finds the working clone, the remote and branch, the
 * expectation, verifies, writes the audit event and sends the alert. Packagings fill {@link VerifyPushSettings} and
 * render the {@link Outcome}.
 */
public final class VerifyPush {
    /** Where alerts go when no webhook is configured (shared with the push gate); packagings read it. */
    public static final String ENV_ALERT_WEBHOOK = GateEnvironment.ENV_ALERT_WEBHOOK;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ALERT_TIMEOUT = Duration.ofSeconds(5);

    private final VerifyPushSettings settings;
    private Map<String, String> env = Map.of();
    private Backoff backoff = Backoff.DEFAULT;
    private boolean agentStdoutToStderr;

    public VerifyPush(VerifyPushSettings settings) {
        this.settings = settings;
    }

    /** The environment of git and the wrapped agent (and where the audit log defaults from). */
    public VerifyPush setEnv(Map<String, String> v) { this.env = v; return this; }
    public VerifyPush setBackoff(Backoff v) { this.backoff = v; return this; }
    /** Wrap mode: the agent's stdout goes to stderr (when stdout carries JSON). */
    public VerifyPush setAgentStdoutToStderr(boolean v) { this.agentStdoutToStderr = v; return this; }

    public Outcome<VerifyPushReport> call() throws GatekeeperException, InterruptedException {
        boolean wrap = !settings.command().isEmpty();
        Path directory = settings.directory();
        Optional<WorkingClone> found = WorkingClone.find(directory);
        try (WorkingClone clone = found.orElse(null)) {
            RemoteLocator.Target target = new RemoteLocator().setClone(clone).setWorkDir(directory)
                    .setRemote(settings.remote()).setBranch(settings.branch()).setGitHub(settings.github())
                    .setGitHubApiUrl(settings.githubApiUrl()).setVia(settings.via()).call();
            Expectation expectation = expectation(clone, wrap);
            Verification v;
            try (RefReader reader = RefReaders.open(target, clone, settings.githubToken(), settings.gitToken(),
                    settings.githubApiUrl(), settings.timeout(), env)) {
                VerifyPushCommand cmd = new VerifyPushCommand().setReader(reader).setRef(target.ref())
                        .setExpectation(expectation).setTimeout(settings.timeout()).setBackoff(backoff);
                if (wrap) {
                    if (clone == null && expectation.commit() == null) {
                        throw SettingsException.of(VerifyPushSettings.Key.EXPECT.key(), "wrap mode outside a "
                                + "working clone needs the commit to expect (there is no HEAD to check)", null);
                    }
                    cmd.setAgent(new AgentCommand(settings.command()).setDirectory(directory)
                            .setStdoutToStderr(agentStdoutToStderr));
                    if (clone != null) {
                        cmd.setHead(clone::head);
                    }
                }
                v = cmd.call();
            }
            return record(v, clone);
        }
    }

    private Expectation expectation(WorkingClone clone, boolean wrap) throws GatekeeperException {
        String expect = settings.expect();
        String commit = expect == null ? null : commit(expect, clone, VerifyPushSettings.Key.EXPECT);
        if (wrap) {
            return new Expectation(commit, settings.contains(), false, null);
        }
        String baseline = settings.since() == null ? null
                : commit(settings.since(), clone, VerifyPushSettings.Key.SINCE);
        if (commit == null && baseline == null) {
            if (clone == null) {
                throw SettingsException.of(VerifyPushSettings.Key.EXPECT.key(), "not in a git working clone: give "
                        + "the commit to expect (or the baseline it must move from, since)", "a full commit id");
            }
            commit = clone.head().orElseThrow(() -> SettingsException.of(VerifyPushSettings.Key.EXPECT.key(),
                    "HEAD of the working clone names no commit: give the commit to expect", null));
        }
        if (settings.contains() && commit == null) {
            throw SettingsException.of(VerifyPushSettings.Key.CONTAINS.key(), "needs a commit to look for (expect, "
                    + "or the working clone's HEAD)", null);
        }
        return new Expectation(commit, settings.contains(), baseline != null, baseline);
    }

    private static String commit(String revision, WorkingClone clone, VerifyPushSettings.Key key)
            throws GatekeeperException {
        String r = revision.trim();
        if (r.matches("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}")) {
            return r.toLowerCase(Locale.ROOT);
        }
        if (clone == null) {
            throw SettingsException.of(key.key(), "needs a full commit id outside a working clone: '" + revision
                    + "'", "40 or 64 hex digits");
        }
        return clone.resolve(r);
    }

    private Outcome<VerifyPushReport> record(Verification v, WorkingClone clone) {
        List<String> warnings = new ArrayList<>();
        Path log = auditLogPath(clone);
        Event event = VerificationAudit.event(v, clone == null ? null : clone.workTreeOrGitDir().toString());
        try {
            new EventLog(log, GateEnvironment.DEFAULT_MAX_FILE, GateEnvironment.DEFAULT_MAX_FILES).append(event);
        } catch (IOException | RuntimeException e) {
            // the verdict stands; a script branching on it must not see "internal error" for a full disk
            warnings.add("could not write the audit event to " + log + ": " + e.getMessage());
        }
        if (settings.alertWebhook() != null
                && VerificationAudit.alerts(v.verdict(), settings.alertInconclusive())) {
            WebhookNotifier n = new WebhookNotifier(settings.alertWebhook(), ALERT_TIMEOUT);
            try {
                n.send(VerificationAudit.alert(v, event.id()));
            } catch (IOException | RuntimeException e) {
                warnings.add("could not send the alert to " + n.describe() + ": " + e.getMessage());
            }
        }
        return new Outcome<>(v.verdict(), VerificationReport.line(v), VerifyPushReport.of(v, event.id(), log),
                warnings);
    }

    /** {@code auditLog}, {@code $GATEKEEPER_AUDIT_LOG}, the clone's {@code .git/gatekeeper/events.jsonl}, else the user's state folder. */
    private Path auditLogPath(WorkingClone clone) {
        if (settings.auditLog() != null) {
            return settings.auditLog();
        }
        String fromEnv = env.get(GateEnvironment.ENV_AUDIT_LOG);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        if (clone != null) {
            return clone.defaultAuditLog();
        }
        String state = env.get("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() ? Path.of(state)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".local", "state");
        return base.resolve("gatekeeper").resolve("events.jsonl");
    }
}
