package dev.gatekeeper.gate;

import dev.gatekeeper.events.EventType;
import dev.gatekeeper.ExitCode;
import dev.gatekeeper.events.AuditTrail;
import dev.gatekeeper.events.Event;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server-side gate as one command: read git's pre-receive input, judge every update by the ref git will write,
 * audit the push (bounded: {@link PushAudit}; one append and one fsync per audit file), alert, and tell the pusher
 * why (stderr reaches them as {@code remote:} lines). Never throws: any failure refuses the push (fail closed) with
 * a one-line reason and a distinct exit code.
 */
public final class PreReceiveCommand {
    /** Set by the installer's self-test (its synthetic updates never land: no landing note for them). */
    static final String ENV_SELF_TEST = "GATEKEEPER_SELF_TEST";

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
    /** Default: the git binary that runs the hook, then JGit for large pushes ({@link AdaptiveAncestry}). */
    public PreReceiveCommand setAncestry(Ancestry ancestry) { this.ancestry = ancestry; return this; }

    /** What happened: the exit code for git and the decision per update (empty when the input was unusable). */
    public record Result(ExitCode exitCode, List<Decision> decisions, List<String> eventIds) {}

    public Result call() {
        GateEnvironment ge = null;
        try {
            ge = GateEnvironment.load(gitDir, env);
            List<RefUpdate> updates;
            byte[] raw;
            try {
                raw = HookInput.read(input);
                updates = HookInput.preReceive(raw);
            } catch (GateInputException e) {
                String id = audit(ge, Event.of(EventType.PUSH_REFUSED).repository(ge.repositoryName()).decision("refused")
                        .rule("input").reason(PushAudit.cap("malformed hook input: " + e.getMessage(),
                                PushAudit.MAX_REASON)));
                messages.println("gatekeeper: REFUSED: malformed hook input: " + e.getMessage() + " [event " + id + "]");
                return new Result(ExitCode.USAGE, List.of(), List.of(id));
            }
            return judge(ge, updates, raw);
        } catch (RuntimeException | IOException | Error e) {
            String id = ge == null ? "none" : audit(ge, Event.of(EventType.PUSH_REFUSED).decision("refused")
                    .rule("internal-error").reason(PushAudit.cap(e.getClass().getSimpleName() + ": " + e.getMessage(),
                            PushAudit.MAX_REASON)));
            messages.println("gatekeeper: REFUSED (fail closed): internal error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + " [event " + id + "]");
            return new Result(ExitCode.INTERNAL_ERROR, List.of(), List.of(id));
        }
    }

    private Result judge(GateEnvironment ge, List<RefUpdate> updates, byte[] raw) throws IOException {
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
        PushGate gate = new PushGate(new PushGate.Settings(policy, ge.policyProblem(), ge.identity(),
                pipelineSecret, secretProblem, breakGlassSecret, clock));
        PushCredentials creds = PushCredentials.from(env,
                policy == null ? List.of() : policy.identity().pusherEnv());
        List<Decision> decisions;
        if (ancestry != null) {
            decisions = gate.decide(updates, creds, ancestry, SymbolicRefs.of(gitDir, env));
        } else {
            try (AdaptiveAncestry a = new AdaptiveAncestry(gitDir, env)) {
                decisions = gate.decide(updates, creds, a, SymbolicRefs.of(gitDir, env));
            }
        }
        boolean anyRefused = decisions.stream().anyMatch(d -> !d.allowed());
        if (anyRefused) {
            List<Decision> whole = new ArrayList<>();
            for (Decision d : decisions) {
                whole.add(d.allowed() ? d.refusedWithSiblings() : d);
            }
            decisions = whole;
        }

        String pusher = creds.pusher().orElse(env.getOrDefault("USER", null));
        PushAudit.Planned planned = PushAudit.decisions(ge, decisions, pusher, creds, optionCount());
        boolean auditFailed = false;
        try {
            // earlier pushes' landings (post-receive only renamed their notes) go in with this push's append
            LandingNote.Claimed landings = LandingNote.claimLanded(gitDir, clock.instant());
            List<Map<AuditTrail.Retention, List<String>>> folded = new ArrayList<>();
            for (LandingNote.Note n : landings.notes()) {
                if (n.trail().file().equals(ge.auditTrail().file())) {
                    folded.add(n.lines());
                } else {
                    n.trail().writeLines(n.lines()); // written where the trail was when it landed
                }
            }
            ge.auditTrail().write(folded, planned.events());
            LandingNote.remove(landings.files());
        } catch (IOException | RuntimeException ex) {
            auditFailed = true;
            messages.println("gatekeeper: warning: cannot write the audit log " + ge.auditTrail().file() + ": "
                    + ex.getMessage());
        }
        List<String> ids = planned.idPerUpdate();
        // An unaudited push is refused, except break-glass: the way out of an outage must not depend on a disk.
        boolean onlyBreakGlass = decisions.stream().allMatch(d -> EventType.PUSH_BREAK_GLASS.equals(d.type()));
        if (auditFailed && !anyRefused && !onlyBreakGlass) {
            messages.println("gatekeeper: REFUSED (fail closed): the decision could not be audited");
            return new Result(ExitCode.REFUSED, decisions, ids);
        }
        String alerted = alert(ge, decisions, ids);
        printOutcome(decisions, ids, alerted, planned.summaryId());
        if (!anyRefused && env.get(ENV_SELF_TEST) == null) {
            leaveLandingNote(ge, decisions, pusher, raw);
        }
        return new Result(anyRefused ? ExitCode.REFUSED : ExitCode.OK, decisions, ids);
    }

    /** The landed events as judged here, so that post-receive need not judge them again ({@link LandingNote}). */
    private void leaveLandingNote(GateEnvironment ge, List<Decision> decisions, String pusher, byte[] raw) {
        List<Event> landed = new ArrayList<>(decisions.size());
        for (Decision d : decisions) {
            landed.add(PostReceiveCommand.landed(ge.repositoryName(), d.ref(), d.via(), d.update(), pusher,
                    d.rule()).build());
        }
        LandingNote.leave(gitDir, raw, ge.auditTrail(),
                PushAudit.landed(ge.repositoryName(), ge.policySource(), landed, pusher).events(), clock.instant());
    }

    private int optionCount() {
        try {
            return Math.max(0, Integer.parseInt(env.getOrDefault("GIT_PUSH_OPTION_COUNT", "0").trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The pusher reads at most {@link #MAX_MESSAGES} refusals and as many acceptances in full; the rest are counted,
     * with the event that records them (a 1,000-ref push must not answer with 6,000 lines).
     */
    static final int MAX_MESSAGES = 20;

    private void printOutcome(List<Decision> decisions, List<String> ids, String alerted, String summaryId) {
        int refusalsShown = 0;
        int refusalsHidden = 0;
        int acceptedShown = 0;
        int acceptedHidden = 0;
        for (int i = 0; i < decisions.size(); i++) {
            Decision d = decisions.get(i);
            String ref = d.ref();
            String through = d.via() == null ? "" : " through the symbolic ref " + d.via();
            if (!d.allowed()) {
                if (refusalsShown >= MAX_MESSAGES) {
                    refusalsHidden++;
                    continue;
                }
                refusalsShown++;
                messages.println("gatekeeper: ------------------------------------------------------------");
                messages.println("gatekeeper: REFUSED " + ref + " (rule: " + d.rule() + ")" + through);
                messages.println("gatekeeper:   why: " + d.reason());
                if (d.howToLand() != null) {
                    messages.println("gatekeeper:   how to land it: " + d.howToLand());
                }
                messages.println("gatekeeper:   event: " + ids.get(i));
            } else if (EventType.PUSH_BREAK_GLASS.equals(d.type())) {
                if (acceptedShown >= MAX_MESSAGES) {
                    acceptedHidden++;
                    continue;
                }
                acceptedShown++;
                messages.println("gatekeeper: BREAK-GLASS accepted for " + ref + through + ", " + d.reason()
                        + " [audited as " + ids.get(i) + "; " + alerted + "]");
            } else if (!PushGate.RULE_UNPROTECTED.equals(d.rule())) {
                if (acceptedShown >= MAX_MESSAGES) {
                    acceptedHidden++;
                    continue;
                }
                acceptedShown++;
                messages.println("gatekeeper: accepted " + ref + " (" + d.proof() + ")" + through + " [event "
                        + ids.get(i) + "]");
            }
        }
        if (refusalsHidden > 0) {
            messages.println("gatekeeper: ------------------------------------------------------------");
            messages.println("gatekeeper: ... and " + refusalsHidden + " more refused refs"
                    + (summaryId == null ? "" : " [summary event " + summaryId + "]"));
        }
        if (acceptedHidden > 0) {
            messages.println("gatekeeper: ... and " + acceptedHidden + " more accepted protected refs (audited)");
        }
    }

    /** At most this many refs are named in one alert. */
    static final int MAX_ALERT_REFS = 10;

    /**
     * Sends the alerts the policy asks for, at most one per kind per push (a push of 1,000 refused refs must not
     * make 1,000 webhook calls of 3 s each); says what became of them, for the pusher's message.
     */
    private String alert(GateEnvironment ge, List<Decision> decisions, List<String> ids) {
        Map<String, List<Integer>> byKind = new LinkedHashMap<>();
        for (int i = 0; i < decisions.size(); i++) {
            Decision d = decisions.get(i);
            String kind = EventType.PUSH_BREAK_GLASS.equals(d.type()) ? "break-glass"
                    : PushGate.RULE_FAIL_CLOSED.equals(d.rule()) && !d.allowed() ? "policy-error"
                    : !d.allowed() && !d.reason().startsWith("another ref in the same push") ? "refused" : null;
            if (kind != null && ge.alertsOn(kind)) {
                byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(i);
            }
        }
        List<Alert> alerts = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> k : byKind.entrySet()) {
            String kind = k.getKey();
            List<Integer> which = k.getValue();
            Decision first = decisions.get(which.get(0));
            String refs = first.ref() + (which.size() > 1 ? " and " + (which.size() - 1) + " more ref"
                    + (which.size() > 2 ? "s" : "") : "");
            StringBuilder text = new StringBuilder(first.reason());
            for (int n = 1; n < Math.min(which.size(), MAX_ALERT_REFS); n++) {
                Decision d = decisions.get(which.get(n));
                text.append("\n").append(d.ref()).append(": ").append(PushAudit.cap(d.reason(), 200));
            }
            String severity = kind.equals("refused") ? "warning" : "critical";
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("repository", ge.repositoryName());
            fields.put("ref", first.ref());
            fields.put("new", first.update().newId());
            fields.put("proof", first.proof());
            fields.put("rule", first.rule());
            fields.put("refs", Integer.toString(which.size()));
            alerts.add(new Alert(severity, "gatekeeper: " + kind + " on " + ge.repositoryName() + " " + refs,
                    PushAudit.cap(text.toString(), 4 * PushAudit.MAX_REASON), ids.get(which.get(0)), fields));
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
                audit(ge, Event.of(EventType.ALERT_FAILED).repository(ge.repositoryName())
                        .reason(PushAudit.cap(e.getMessage(), PushAudit.MAX_REASON))
                        .detail("alert-for", a.eventId()).detail("target", notifier.get().describe()));
            }
        }
        return sent == alerts.size() ? "alert sent" : "ALERT NOT DELIVERED";
    }

    /** Best effort: returns the event id even when the write failed (the message already names it). */
    private static String audit(GateEnvironment ge, Event.Builder b) {
        try {
            ge.auditTrail().write(List.of(b.build()));
        } catch (IOException | RuntimeException ignored) {
            // the caller is already refusing; a failing audit log cannot make that worse
        }
        return b.id();
    }
}
