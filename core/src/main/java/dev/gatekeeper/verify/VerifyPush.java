package dev.gatekeeper.verify;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.events.Event;
import dev.gatekeeper.events.EventLog;
import dev.gatekeeper.gate.GateEnvironment;
import dev.gatekeeper.notify.WebhookNotifier;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * verify-push as every packaging runs it (CLI, and later the Jenkins step and the GitHub Action): options in the
 * user's terms, then {@link #call()} finds the working clone, the remote and branch, the expectation, verifies,
 * writes the audit event and sends the alert. Packagings only parse their inputs and print the result.
 */
public final class VerifyPush {
    /** Where alerts go when {@code --alert-webhook-env} names no variable (shared with the push gate). */
    public static final String ENV_ALERT_WEBHOOK = GateEnvironment.ENV_ALERT_WEBHOOK;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ALERT_TIMEOUT = Duration.ofSeconds(5);

    /** What a run produced: the verification, its audit event, and warnings (audit or alert trouble). */
    public record Result(Verification verification, String eventId, Path auditLog, List<String> warnings) {
        public ExitCode exitCode() {
            return verification.verdict().exitCode();
        }
    }

    private Path directory = Path.of(".");
    private Map<String, String> env = Map.of();
    private String expect;
    private boolean contains;
    private String since;
    private String remote;
    private String branch;
    private String gitHub;
    private String gitHubApiUrl;
    private Path tokenFile;
    private RemoteLocator.Via via = RemoteLocator.Via.AUTO;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Backoff backoff = Backoff.DEFAULT;
    private Path auditLog;
    private String alertWebhookEnv;
    private boolean alertOnInconclusive;
    private List<String> command;
    private boolean agentStdoutToStderr;

    public VerifyPush setDirectory(Path v) { this.directory = v; return this; }
    public VerifyPush setEnv(Map<String, String> v) { this.env = v; return this; }
    /** A commit or revision ({@code HEAD~1}); default the working clone's HEAD. */
    public VerifyPush setExpect(String v) { this.expect = v; return this; }
    public VerifyPush setContains(boolean v) { this.contains = v; return this; }
    public VerifyPush setSince(String v) { this.since = v; return this; }
    public VerifyPush setRemote(String v) { this.remote = v; return this; }
    public VerifyPush setBranch(String v) { this.branch = v; return this; }
    public VerifyPush setGitHub(String v) { this.gitHub = v; return this; }
    public VerifyPush setGitHubApiUrl(String v) { this.gitHubApiUrl = v; return this; }
    public VerifyPush setTokenFile(Path v) { this.tokenFile = v; return this; }
    public VerifyPush setVia(RemoteLocator.Via v) { this.via = v; return this; }
    public VerifyPush setTimeout(Duration v) { this.timeout = v; return this; }
    public VerifyPush setBackoff(Backoff v) { this.backoff = v; return this; }
    public VerifyPush setAuditLog(Path v) { this.auditLog = v; return this; }
    public VerifyPush setAlertWebhookEnv(String v) { this.alertWebhookEnv = v; return this; }
    public VerifyPush setAlertOnInconclusive(boolean v) { this.alertOnInconclusive = v; return this; }
    /** Wrap mode: the agent's command and its arguments. */
    public VerifyPush setCommand(List<String> v) { this.command = v; return this; }
    public VerifyPush setAgentStdoutToStderr(boolean v) { this.agentStdoutToStderr = v; return this; }

    public Result call() throws GatekeeperException, InterruptedException {
        boolean wrap = command != null && !command.isEmpty();
        if (wrap && since != null) {
            throw usage("--since does not go with a wrapped command: wrap mode reads the baseline itself");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw usage("--timeout must be more than 0");
        }
        Optional<WorkingClone> found = WorkingClone.find(directory);
        try (WorkingClone clone = found.orElse(null)) {
            RemoteLocator.Target target = new RemoteLocator().setClone(clone).setWorkDir(directory).setRemote(remote)
                    .setBranch(branch).setGitHub(gitHub).setGitHubApiUrl(gitHubApiUrl).setVia(via).call();
            Expectation expectation = expectation(clone, wrap);
            Verification v;
            try (RefReader reader = RefReaders.open(target, clone, tokenFile, gitHubApiUrl, timeout, env)) {
                VerifyPushCommand cmd = new VerifyPushCommand().setReader(reader).setRef(target.ref())
                        .setExpectation(expectation).setTimeout(timeout).setBackoff(backoff);
                if (wrap) {
                    if (clone == null && expectation.commit() == null) {
                        throw usage("wrap mode outside a working clone needs --expect (there is no HEAD to check)");
                    }
                    cmd.setAgent(new AgentCommand(command).setDirectory(directory)
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
        String commit = expect == null ? null : commit(expect, clone, "--expect");
        if (wrap) {
            return new Expectation(commit, contains, false, null);
        }
        String baseline = since == null ? null : commit(since, clone, "--since");
        if (commit == null && baseline == null) {
            if (clone == null) {
                throw usage("not in a git working clone: pass --expect SHA (or --since SHA)");
            }
            commit = clone.head().orElseThrow(() -> usage("HEAD of the working clone names no commit; pass --expect"));
        }
        if (contains && commit == null) {
            throw usage("--contains needs a commit to look for (--expect, or the working clone's HEAD)");
        }
        return new Expectation(commit, contains, baseline != null, baseline);
    }

    private static String commit(String revision, WorkingClone clone, String option) throws GatekeeperException {
        String r = revision.trim();
        if (r.matches("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}")) {
            return r.toLowerCase(Locale.ROOT);
        }
        if (clone == null) {
            throw usage(option + " needs a full commit id outside a working clone: '" + revision + "'");
        }
        return clone.resolve(r);
    }

    private Result record(Verification v, WorkingClone clone) {
        List<String> warnings = new ArrayList<>();
        Path log = auditLogPath(clone);
        Event event = VerificationAudit.event(v, clone == null ? null : clone.workTreeOrGitDir().toString());
        try {
            new EventLog(log, GateEnvironment.DEFAULT_MAX_FILE, GateEnvironment.DEFAULT_MAX_FILES).append(event);
        } catch (IOException | RuntimeException e) {
            // the verdict stands; a script branching on it must not see "internal error" for a full disk
            warnings.add("could not write the audit event to " + log + ": " + e.getMessage());
        }
        if (VerificationAudit.alerts(v.verdict(), alertOnInconclusive)) {
            alertUrl(warnings).ifPresent(url -> {
                WebhookNotifier n = new WebhookNotifier(url, ALERT_TIMEOUT);
                try {
                    n.send(VerificationAudit.alert(v, event.id()));
                } catch (IOException | RuntimeException e) {
                    warnings.add("could not send the alert to " + n.describe() + ": " + e.getMessage());
                }
            });
        }
        return new Result(v, event.id(), log, warnings);
    }

    /** {@code --audit-log}, {@code $GATEKEEPER_AUDIT_LOG}, the clone's {@code .git/gatekeeper/events.jsonl}, else the user's state folder. */
    private Path auditLogPath(WorkingClone clone) {
        if (auditLog != null) {
            return auditLog;
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

    private Optional<String> alertUrl(List<String> warnings) {
        if (alertWebhookEnv != null) {
            String url = env.get(alertWebhookEnv);
            if (url == null || url.isBlank()) {
                warnings.add("$" + alertWebhookEnv + " (--alert-webhook-env) is not set: no alert sent");
                return Optional.empty();
            }
            return Optional.of(url.trim());
        }
        return Optional.ofNullable(env.get(ENV_ALERT_WEBHOOK)).filter(s -> !s.isBlank()).map(String::trim);
    }

    private static GatekeeperException usage(String message) {
        return new GatekeeperException(ExitCode.USAGE, message);
    }
}
