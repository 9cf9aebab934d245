package dev.gatekeeper.gate;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.events.Event;
import dev.gatekeeper.policy.Policy;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What landed: git runs {@code post-receive} after it updated the refs, with one line for each ref it actually
 * updated (a ref whose lock another push won, or that git refused after pre-receive, is not among them). Each
 * becomes a {@code push.landed} event naming the ref git wrote (through any symbolic ref); those of protected refs
 * go to the ledger, which is where drift reads its provenance. {@code push.allowed} says what the gate let through;
 * {@code push.landed} says what happened.
 *
 * <p>Nothing here can change the push (the refs are written); a failure is a warning to the pusher and exit 1, and
 * drift will then report the tips it cannot explain. Quiet on success: every push runs this.
 */
public final class PostReceiveCommand {
    public static final String LANDED = "push.landed";

    private Path gitDir;
    private Map<String, String> env = Map.of();
    private InputStream input;
    private PrintStream messages;

    public PostReceiveCommand setGitDir(Path gitDir) { this.gitDir = gitDir; return this; }
    public PostReceiveCommand setEnvironment(Map<String, String> env) { this.env = env; return this; }
    public PostReceiveCommand setInput(InputStream input) { this.input = input; return this; }
    public PostReceiveCommand setMessages(PrintStream messages) { this.messages = messages; return this; }

    /** The exit code and the landed events (all of them, before bounding: what git updated). */
    public record Result(ExitCode exitCode, List<Event> landed) {}

    public Result call() {
        GateEnvironment ge;
        List<RefUpdate> updates;
        try {
            ge = GateEnvironment.load(gitDir, env);
            updates = HookInput.preReceive(input);
        } catch (GateInputException e) {
            messages.println("gatekeeper: warning: post-receive input unusable, what landed is not recorded: "
                    + e.getMessage());
            return new Result(ExitCode.USAGE, List.of());
        } catch (IOException | RuntimeException e) {
            messages.println("gatekeeper: warning: what landed is not recorded: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return new Result(ExitCode.INTERNAL_ERROR, List.of());
        }
        try {
            Policy policy = ge.policy();
            SymbolicRefs refs = SymbolicRefs.of(gitDir, env);
            String pusher = PushCredentials.from(env, policy == null ? List.of() : policy.identity().pusherEnv())
                    .pusher().orElse(env.getOrDefault("USER", null));
            List<Event> landed = new ArrayList<>(updates.size());
            for (RefUpdate u : updates) {
                SymbolicRefs.Resolution res = refs.resolve(u.refName());
                String written = res.resolved() ? res.written() : u.refName();
                String via = res.resolved() && res.aliased() ? String.join(" -> ", res.via()) : null;
                landed.add(Event.of(LANDED).repository(ge.repositoryName()).ref(written).oldId(u.oldId())
                        .newId(u.newId()).pusher(PushAudit.cap(pusher, PushAudit.MAX_SHORT)).decision("landed")
                        .rule(ruleOf(policy, written, u.refName(), res.aliased())).detail("via", via).build());
            }
            PushAudit.Planned planned = PushAudit.landed(ge, landed, pusher);
            ge.auditTrail().write(planned.events());
            return new Result(ExitCode.OK, landed);
        } catch (IOException | RuntimeException e) {
            messages.println("gatekeeper: warning: cannot record what landed in " + ge.auditTrail().file() + ": "
                    + e.getMessage() + " (drift will report these tips as unexplained)");
            return new Result(ExitCode.INTERNAL_ERROR, List.of());
        }
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
