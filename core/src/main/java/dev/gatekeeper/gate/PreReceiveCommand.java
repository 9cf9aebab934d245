package dev.gatekeeper.gate;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.events.Event;
import dev.gatekeeper.events.EventLog;
import dev.gatekeeper.notify.Alert;
import dev.gatekeeper.notify.Notifier;
import dev.gatekeeper.policy.Policy;
import dev.gatekeeper.token.BreakGlass;
import dev.gatekeeper.token.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server-side gate as one command: read git's pre-receive input, judge every update, write one audit event
 * per update, alert, and tell the pusher why (stderr reaches them as {@code remote:} lines). Never throws: any
 * failure refuses the push (fail closed) with a one-line reason and a distinct exit code.
 */
public final class PreReceiveCommand {
    private Path gitDir;
    private Map<String, String> env = Map.of();
    private InputStream input;
    private PrintStream messages;
    private Clock clock = Clock.systemUTC();
    private Ancestry ancestry;

    public PreReceiveCommand setGitDir(Path gitDir) { this.gitDir = gitDir; return this; }
    public PreReceiveCommand setEnvironment(Map<String, String> env) { this.env = env; return this; }
    public PreReceiveCommand setInput(InputStream input) { this.input = input; return this; }
    public PreReceiveCommand setMessages(PrintStream messages) { this.messages = messages; return this; }
    public PreReceiveCommand setClock(Clock clock) { this.clock = clock; return this; }
    /** Default: the git binary that runs the hook ({@link GitCliAncestry}). */
    public PreReceiveCommand setAncestry(Ancestry ancestry) { this.ancestry = ancestry; return this; }

    /** What happened: the exit code for git and the decision per update (empty when the input was unusable). */
    public record Result(ExitCode exitCode, List<Decision> decisions, List<String> eventIds) {}

    public Result call() {
        GateEnvironment ge = null;
        try {
            ge = GateEnvironment.load(gitDir, env);
            List<RefUpdate> updates;
            try {
                updates = HookInput.preReceive(input);
            } catch (GateInputException e) {
                String id = audit(ge, Event.of(Decision.REFUSED).repository(ge.repositoryName()).decision("refused")
                        .rule("input").reason("malformed hook input: " + e.getMessage()));
                messages.println("gatekeeper: REFUSED: malformed hook input: " + e.getMessage() + " [event " + id + "]");
                return new Result(ExitCode.USAGE, List.of(), List.of(id));
            }
            return judge(ge, updates);
        } catch (RuntimeException | IOException | Error e) {
            String id = ge == null ? "none" : audit(ge, Event.of(Decision.REFUSED).decision("refused")
                    .rule("internal-error").reason(e.getClass().getSimpleName() + ": " + e.getMessage()));
            messages.println("gatekeeper: REFUSED (fail closed): internal error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + " [event " + id + "]");
            return new Result(ExitCode.INTERNAL_ERROR, List.of(), List.of(id));
        }
    }

    private Result judge(GateEnvironment ge, List<RefUpdate> updates) throws IOException {
        Policy policy = ge.policy();
        Optional<Secret> pipelineSecret = Optional.empty();
        String secretProblem = null;
        if (policy != null) {
            try {
                pipelineSecret = Secret.load(env, policy.identity().token().secretEnv(),
                        policy.identity().token().secretFile());
            } catch (IllegalStateException e) {
                secretProblem = e.getMessage();
            }
        }
        Optional<Secret> breakGlassSecret;
        try {
            breakGlassSecret = BreakGlass.secret(env, gitDir);
        } catch (IllegalStateException e) {
            breakGlassSecret = Optional.empty();
            messages.println("gatekeeper: warning: break-glass secret unusable: " + e.getMessage());
        }
        PushGate gate = new PushGate(new PushGate.Settings(policy, ge.policyProblem(), ge.repositoryName(),
                pipelineSecret, secretProblem, breakGlassSecret, clock));
        PushCredentials creds = PushCredentials.from(env,
                policy == null ? List.of() : policy.identity().pusherEnv());
        List<Decision> decisions = gate.decide(updates, creds,
                ancestry != null ? ancestry : new GitCliAncestry(gitDir, env));
        boolean anyRefused = decisions.stream().anyMatch(d -> !d.allowed());
        if (anyRefused) {
            List<Decision> whole = new ArrayList<>();
            for (Decision d : decisions) {
                whole.add(d.allowed() ? d.refusedWithSiblings() : d);
            }
            decisions = whole;
        }

        List<String> ids = new ArrayList<>();
        boolean auditFailed = false;
        String pusher = creds.pusher().orElse(env.getOrDefault("USER", null));
        for (Decision d : decisions) {
            Event e = Event.of(d.type()).repository(ge.repositoryName()).ref(d.update().refName())
                    .oldId(d.update().oldId()).newId(d.update().newId()).pusher(pusher).proof(d.proof())
                    .decision(d.allowed() ? "allowed" : "refused").rule(d.rule()).reason(d.reason())
                    .detail("policy", ge.policySource()).build();
            ids.add(e.id());
            try {
                ge.eventLog().append(e);
            } catch (IOException | RuntimeException ex) {
                auditFailed = true;
                messages.println("gatekeeper: warning: cannot write the audit log " + ge.eventLog().file() + ": "
                        + ex.getMessage());
            }
        }
        // An unaudited push is refused, except break-glass: the way out of an outage must not depend on a disk.
        boolean onlyBreakGlass = decisions.stream().allMatch(d -> Decision.BREAK_GLASS.equals(d.type()));
        if (auditFailed && !anyRefused && !onlyBreakGlass) {
            messages.println("gatekeeper: REFUSED (fail closed): the decision could not be audited");
            return new Result(ExitCode.REFUSED, decisions, ids);
        }
        String alerted = alert(ge, decisions, ids);
        printOutcome(decisions, ids, alerted);
        return new Result(anyRefused ? ExitCode.REFUSED : ExitCode.OK, decisions, ids);
    }

    private void printOutcome(List<Decision> decisions, List<String> ids, String alerted) {
        for (int i = 0; i < decisions.size(); i++) {
            Decision d = decisions.get(i);
            String ref = d.update().refName();
            if (!d.allowed()) {
                messages.println("gatekeeper: ------------------------------------------------------------");
                messages.println("gatekeeper: REFUSED " + ref + " (rule: " + d.rule() + ")");
                messages.println("gatekeeper:   why: " + d.reason());
                if (d.howToLand() != null) {
                    messages.println("gatekeeper:   how to land it: " + d.howToLand());
                }
                messages.println("gatekeeper:   event: " + ids.get(i));
            } else if (Decision.BREAK_GLASS.equals(d.type())) {
                messages.println("gatekeeper: BREAK-GLASS accepted for " + ref + ", " + d.reason()
                        + " [audited as " + ids.get(i) + "; " + alerted + "]");
            } else if (!PushGate.RULE_UNPROTECTED.equals(d.rule())) {
                messages.println("gatekeeper: accepted " + ref + " (" + d.proof() + ") [event " + ids.get(i) + "]");
            }
        }
    }

    /** Sends the alerts the policy asks for; says what became of them, for the pusher's message. */
    private String alert(GateEnvironment ge, List<Decision> decisions, List<String> ids) {
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < decisions.size(); i++) {
            Decision d = decisions.get(i);
            String kind = Decision.BREAK_GLASS.equals(d.type()) ? "break-glass"
                    : PushGate.RULE_FAIL_CLOSED.equals(d.rule()) && !d.allowed() ? "policy-error"
                    : !d.allowed() ? "refused" : null;
            if (kind == null || !ge.alertsOn(kind)) {
                continue;
            }
            String severity = kind.equals("refused") ? "warning" : "critical";
            alerts.add(new Alert(severity, "gatekeeper: " + kind + " on " + ge.repositoryName() + " "
                    + d.update().refName(), d.reason(), ids.get(i), Map.of("repository", ge.repositoryName(),
                    "ref", d.update().refName(), "new", d.update().newId(), "proof", d.proof(), "rule", d.rule())));
        }
        if (alerts.isEmpty()) {
            return "no alert asked for";
        }
        Optional<Notifier> notifier = ge.notifier();
        if (notifier.isEmpty()) {
            if (alerts.stream().anyMatch(a -> a.severity().equals("critical"))) {
                messages.println("gatekeeper: warning: no alert webhook is configured; this was only audited");
            }
            return "no alert target configured";
        }
        int sent = 0;
        for (Alert a : alerts) {
            try {
                notifier.get().send(a);
                sent++;
            } catch (IOException | RuntimeException e) {
                messages.println("gatekeeper: warning: alert not delivered to " + notifier.get().describe() + ": "
                        + e.getMessage());
                audit(ge, Event.of("alert.failed").repository(ge.repositoryName()).reason(e.getMessage())
                        .detail("alert-for", a.eventId()).detail("target", notifier.get().describe()));
            }
        }
        return sent == alerts.size() ? "alert sent" : "ALERT NOT DELIVERED";
    }

    /** Best effort: returns the event id even when the write failed (the message already names it). */
    private static String audit(GateEnvironment ge, Event.Builder b) {
        try {
            ge.eventLog().append(b.build());
        } catch (IOException | RuntimeException ignored) {
            // the caller is already refusing; a failing audit log cannot make that worse
        }
        return b.id();
    }
}
