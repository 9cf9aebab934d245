package dev.gatekeeper.gate;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.policy.Policy;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * Early feedback in a working clone (a production checkout, an agent's workspace): refuse a local commit on a
 * protected branch and a push to a protected ref, with the same policy as the server. Advisory by nature (git's
 * {@code --no-verify} skips client hooks); the server-side gate stays the authority. A pipeline that holds a
 * token for its push sets {@code GATEKEEPER_TOKEN} and is let through here; the server checks the token itself.
 */
public final class ClientGate {
    public static final String ENV_TOKEN = "GATEKEEPER_TOKEN";

    private final GateEnvironment ge;
    private final Map<String, String> env;
    private final PrintStream messages;

    public ClientGate(GateEnvironment ge, Map<String, String> env, PrintStream messages) {
        this.ge = ge;
        this.env = env;
        this.messages = messages;
    }

    /** @param fullBranch the ref HEAD points to, e.g. refs/heads/main; null when detached */
    public ExitCode preCommit(String fullBranch) {
        if (fullBranch == null) {
            return ExitCode.OK;
        }
        String refusal = refusal(fullBranch, false);
        if (refusal == null) {
            return ExitCode.OK;
        }
        messages.println("gatekeeper: commit refused on " + fullBranch + ": " + refusal);
        messages.println("gatekeeper: create a branch (git switch -c my-change) and open a pull request.");
        return ExitCode.REFUSED;
    }

    public ExitCode prePush(List<RefUpdate> updates) {
        ExitCode result = ExitCode.OK;
        for (RefUpdate u : updates) {
            String refusal = refusal(u.refName(), u.isDelete());
            if (refusal != null) {
                messages.println("gatekeeper: push refused for " + u.refName() + ": " + refusal);
                result = ExitCode.REFUSED;
            }
        }
        if (result != ExitCode.OK) {
            messages.println("gatekeeper: push a branch and open a pull request; the pipeline updates protected refs.");
        }
        return result;
    }

    private String refusal(String ref, boolean delete) {
        Policy policy = ge.policy();
        if (policy == null) {
            return "no usable policy (" + ge.policyProblem() + "); refusing until it is fixed";
        }
        Policy.ProtectedRef rule = policy.ruleFor(ref).orElse(null);
        if (rule == null) {
            return null;
        }
        if (delete && !rule.allowDeletion()) {
            return "it is protected by rule " + rule.pattern() + " and may not be deleted";
        }
        String token = env.get(ENV_TOKEN);
        if (token != null && !token.isBlank()) {
            return null;
        }
        return "it is protected by rule " + rule.pattern() + " (" + rule.howToLand() + ")";
    }
}
