package dev.gatekeeper.gate;

import dev.gatekeeper.events.EventType;
import dev.gatekeeper.ExitCode;
import dev.gatekeeper.events.AuditTrail;
import dev.gatekeeper.events.Event;
import dev.gatekeeper.policy.Policy;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What landed: git runs {@code post-receive} after it updated the refs, with one line for each ref it actually
 * updated (a ref whose lock another push won, or that git refused after pre-receive, is not among them). Each
 * becomes a {@code push.landed} event naming the ref git wrote (through any symbolic ref); those of protected refs
 * go to the ledger, which is where drift reads its provenance. {@code push.allowed} says what the gate let through;
 * {@code push.landed} says what happened.
 *
 * <p>Usually pre-receive left a {@link LandingNote} for exactly this input, and recording is one append; otherwise
 * (some update did not land, or there is no note) the policy and symbolic refs are read again. Nothing here can
 * change the push (the refs are written); a failure is a warning to the pusher and exit 1, and drift will then
 * report the tips it cannot explain. Quiet on success: every push runs this.
 */
public final class PostReceiveCommand {

    private Path gitDir;
    private Map<String, String> env = Map.of();
    private InputStream input;
    private PrintStream messages;

    public PostReceiveCommand setGitDir(Path gitDir) { this.gitDir = gitDir; return this; }
    public PostReceiveCommand setEnvironment(Map<String, String> env) { this.env = env; return this; }
    public PostReceiveCommand setInput(InputStream input) { this.input = input; return this; }
    public PostReceiveCommand setMessages(PrintStream messages) { this.messages = messages; return this; }

    /**
     * What was recorded.
     *
     * @param landed how many refs git updated (0 when nothing could be recorded)
     * @param judged the landed events, when they were judged here (the long way); empty when pre-receive's note
     *               was taken (they are in the audit trail as pre-receive prepared them)
     */
    public record Result(ExitCode exitCode, int landed, List<Event> judged) {}

    public Result call() {
        byte[] raw;
        List<RefUpdate> updates;
        try {
            raw = HookInput.read(input);
            updates = HookInput.preReceive(raw);
        } catch (GateInputException e) {
            messages.println("gatekeeper: warning: post-receive input unusable, what landed is not recorded: "
                    + e.getMessage());
            return new Result(ExitCode.USAGE, 0, List.of());
        } catch (IOException | RuntimeException e) {
            return failed(null, e);
        }
        Optional<LandingNote.Note> note = LandingNote.take(gitDir, raw, Instant.now());
        if (note.isPresent()) {
            try {
                note.get().trail().writeLines(note.get().lines());
                return new Result(ExitCode.OK, updates.size(), List.of());
            } catch (IOException | RuntimeException e) {
                return failed(note.get().trail(), e);
            }
        }
        return theLongWay(updates);
    }

    /** Without a note: the policy, the symbolic refs and the pusher, read again. */
    private Result theLongWay(List<RefUpdate> updates) {
        GateEnvironment ge = null;
        try {
            ge = GateEnvironment.load(gitDir, env);
            Policy policy = ge.policy();
            SymbolicRefs refs = SymbolicRefs.of(gitDir, env);
            String pusher = PushCredentials.from(env, policy == null ? List.of() : policy.identity().pusherEnv())
                    .pusher().orElse(env.getOrDefault("USER", null));
            List<Event> landed = new ArrayList<>(updates.size());
            for (RefUpdate u : updates) {
                SymbolicRefs.Resolution res = refs.resolve(u.refName());
                String written = res.resolved() ? res.written() : u.refName();
                String via = res.resolved() && res.aliased() ? String.join(" -> ", res.via()) : null;
                landed.add(landed(ge.repositoryName(), written, via, u, pusher,
                        ruleOf(policy, written, u.refName(), res.aliased())).build());
            }
            ge.auditTrail().write(PushAudit.landed(ge.repositoryName(), ge.policySource(), landed, pusher).events());
            return new Result(ExitCode.OK, landed.size(), landed);
        } catch (IOException | RuntimeException e) {
            return failed(ge == null ? null : ge.auditTrail(), e);
        }
    }

    /** A {@code push.landed} event for one update. */
    static Event.Builder landed(String repository, String written, String via, RefUpdate u, String pusher,
                                String rule) {
        return Event.of(EventType.PUSH_LANDED).repository(repository).ref(written).oldId(u.oldId()).newId(u.newId())
                .pusher(PushAudit.cap(pusher, PushAudit.MAX_SHORT)).decision("landed").rule(rule)
                .detail("via", via);
    }

    private Result failed(AuditTrail trail, Exception e) {
        messages.println("gatekeeper: warning: cannot record what landed" + (trail == null ? "" : " in "
                + trail.file()) + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                : ": " + e.getMessage()) + " (drift will report these tips as unexplained)");
        return new Result(ExitCode.INTERNAL_ERROR, 0, List.of());
    }

    /** The rule as the gate judged it: the written ref's, else the pushed alias's; every ref without a policy. */
    private static String ruleOf(Policy policy, String written, String pushed, boolean aliased) {
        if (policy == null) {
            return PushGate.RULE_FAIL_CLOSED;
        }
        Policy.ProtectedRef rule = policy.ruleFor(written).orElse(null);
        if (rule == null && aliased) {
            rule = policy.ruleFor(pushed).orElse(null);
        }
        return rule == null ? PushGate.RULE_UNPROTECTED : rule.pattern().glob();
    }
}
