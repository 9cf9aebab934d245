package dev.gatekeeper.gate;

import dev.gatekeeper.events.EventType;
import dev.gatekeeper.identity.RepositoryIdentity;
import dev.gatekeeper.policy.Policy;
import dev.gatekeeper.policy.RefPattern;
import dev.gatekeeper.token.BreakGlass;
import dev.gatekeeper.token.Secret;
import dev.gatekeeper.token.TokenClaims;
import dev.gatekeeper.token.TokenCodec;
import dev.gatekeeper.token.TokenException;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Decides every ref update of a push. Pure: it reads no files and writes no events (see
 * {@link PreReceiveCommand}), so every rule is testable without git.
 *
 * <p>Every update is judged by the ref git will write: the end of its chain of symbolic refs ({@link SymbolicRefs}),
 * so an alias of a protected ref is protected exactly as its target (and a pushed name that is itself protected
 * stays protected); an update whose chain cannot be followed is refused.
 *
 * <p>The order of judgement for one update: unprotected refs pass; a valid break-glass token passes (audited);
 * with no usable policy everything else is refused (fail closed); deletion and non-fast-forward updates of a
 * protected ref are refused unless the rule allows them, even for the pipeline; otherwise the update needs one
 * pipeline proof the rule accepts: an authenticated pipeline pusher, a pipeline token bound to this repository,
 * ref and new SHA, or a signed push by an allowed key.
 */
public final class PushGate {
    public static final String RULE_UNPROTECTED = "unprotected";
    public static final String RULE_FAIL_CLOSED = "fail-closed";
    public static final String RULE_UNRESOLVABLE = "unresolvable-symref";
    static final String UNRESOLVABLE_HOW = "An administrator must repair or remove the symbolic ref (git symbolic-ref"
            + " NAME TARGET, or git symbolic-ref --delete NAME); meanwhile push to the branch itself.";
    /** Distinct reasons kept in a refusal; more are counted. 1,000 junk tokens make one line, not 67 KB. */
    static final int MAX_REASONS = 4;
    static final String FAIL_CLOSED_HOW =
            "An administrator must fix the policy (gatekeeper policy check FILE); for an urgent fix use a "
                    + "break-glass token (gatekeeper token break-glass --reason …).";

    /**
     * What the gate judges with. {@code policy} is null when none could be loaded; {@code policyProblem} then says
     * why. {@code pipelineSecretProblem} is non-null when a configured pipeline secret could not be used.
     */
    public record Settings(Policy policy, String policyProblem, RepositoryIdentity repository,
                           Optional<Secret> pipelineSecret, String pipelineSecretProblem,
                           Optional<Secret> breakGlassSecret, Clock clock) {
        /** Settings for a repository known by one name only. */
        public Settings(Policy policy, String policyProblem, String repository, Optional<Secret> pipelineSecret,
                        String pipelineSecretProblem, Optional<Secret> breakGlassSecret, Clock clock) {
            this(policy, policyProblem, RepositoryIdentity.named(repository), pipelineSecret, pipelineSecretProblem,
                    breakGlassSecret, clock);
        }
    }

    private final Settings settings;

    public PushGate(Settings settings) {
        this.settings = settings;
    }

    /** Judges updates whose names are the refs git writes (no symbolic refs). */
    public List<Decision> decide(List<RefUpdate> updates, PushCredentials creds, Ancestry ancestry) {
        return decide(updates, creds, ancestry, SymbolicRefs.none());
    }

    /** Judges every update by the ref git will write through {@code refs}. */
    public List<Decision> decide(List<RefUpdate> updates, PushCredentials creds, Ancestry ancestry,
                                 SymbolicRefs refs) {
        BreakGlassCheck breakGlass = checkBreakGlass(creds);
        List<CheckedToken> tokens = checkTokens(creds);
        List<Decision> out = new ArrayList<>(updates.size());
        for (RefUpdate u : updates) {
            out.add(decide(u, creds, tokens, ancestry, breakGlass, refs));
        }
        return out;
    }

    private Decision decide(RefUpdate u, PushCredentials creds, List<CheckedToken> tokens, Ancestry ancestry,
                            BreakGlassCheck bg, SymbolicRefs refs) {
        SymbolicRefs.Resolution res = refs.resolve(u.refName());
        if (!res.resolved()) {
            return new Decision(u, false, EventType.PUSH_REFUSED, RULE_UNRESOLVABLE, "cannot tell which ref git would write"
                    + " for " + u.refName() + ": " + res.problem() + "; refusing rather than guessing", "none",
                    UNRESOLVABLE_HOW, u.refName(), null);
        }
        String written = res.written();
        String via = res.aliased() ? String.join(" -> ", res.via()) : null;
        Policy policy = settings.policy();
        Policy.ProtectedRef rule = null;
        if (policy != null) {
            rule = policy.ruleFor(written).orElse(null);
            if (rule == null && res.aliased()) {
                // the pushed name is protected but points at an unprotected ref: the pusher meant the protected one
                rule = policy.ruleFor(u.refName()).orElse(null);
            }
        }
        if (policy != null && rule == null) {
            return new Decision(u, true, EventType.PUSH_ALLOWED, RULE_UNPROTECTED, "not a protected ref", "none", null,
                    written, via);
        }
        String ruleName = rule == null ? RULE_FAIL_CLOSED : rule.pattern().glob();
        String how = rule == null ? FAIL_CLOSED_HOW : rule.howToLand();
        String aliasNote = via == null ? "" : " (through the symbolic ref " + via + ")";

        Boolean fastForward = null;
        if (!u.isCreate() && !u.isDelete()) {
            try {
                fastForward = ancestry.isFastForward(u.oldId(), u.newId());
            } catch (IOException | RuntimeException e) {
                return refuse(u, written, via, ruleName, "cannot read the pushed objects to check fast-forward ("
                        + e.getClass().getSimpleName() + "); refusing rather than guessing", how);
            }
        }
        boolean rewrite = u.isDelete() || Boolean.FALSE.equals(fastForward);

        if (bg.claims != null && bg.refGlob.matches(written)) {
            if (rewrite && !bg.claims.allowForce()) {
                return refuse(u, written, via, ruleName, "break-glass token " + bg.claims.id() + " does not allow "
                        + (u.isDelete() ? "deletion" : "a non-fast-forward update")
                        + " (mint it with --allow-force)" + aliasNote, how);
            }
            return new Decision(u, true, EventType.PUSH_BREAK_GLASS, ruleName,
                    "by " + bg.claims.issuer().orElse("unknown") + ": " + bg.claims.reason().orElse("")
                            + " (token expires " + bg.claims.expiresAt() + ")",
                    "break-glass:" + bg.claims.id(), null, written, via);
        }
        String bgNote = bg.problem == null ? "" : "; break-glass token refused: " + bg.problem;

        if (rule == null) {
            return refuse(u, written, via, ruleName, "no usable policy (" + settings.policyProblem()
                    + "), so every ref is protected" + aliasNote + bgNote, how);
        }
        if (u.isDelete() && !rule.allowDeletion()) {
            return refuse(u, written, via, ruleName, "deleting a protected ref is refused, even for the pipeline"
                    + aliasNote + bgNote, how);
        }
        if (Boolean.FALSE.equals(fastForward) && !rule.allowForcePush()) {
            return refuse(u, written, via, ruleName,
                    "non-fast-forward update (force-push) of a protected ref is refused, even for the pipeline"
                            + aliasNote + bgNote, how);
        }
        Reasons why = new Reasons();
        Optional<String> proof = proof(u, written, rule, creds, tokens, why);
        if (proof.isPresent()) {
            return new Decision(u, true, EventType.PUSH_ALLOWED, ruleName, "pipeline proof accepted" + aliasNote,
                    proof.get(), null, written, via);
        }
        return refuse(u, written, via, ruleName, "direct push to a protected ref: no pipeline proof (" + why
                + ")" + aliasNote + bgNote, how);
    }

    /**
     * Why no proof was accepted, each distinct reason once with how often it applied, at most {@link #MAX_REASONS}
     * of them: a push with a thousand junk tokens gets a refusal of one line.
     */
    static final class Reasons {
        private final Map<String, Integer> counts = new LinkedHashMap<>();

        void add(String reason) {
            counts.merge(reason, 1, Integer::sum);
        }

        boolean isEmpty() {
            return counts.isEmpty();
        }

        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            int shown = 0;
            int hidden = 0;
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                if (shown < MAX_REASONS) {
                    parts.add(e.getValue() > 1 ? e.getKey() + " (x" + e.getValue() + ")" : e.getKey());
                    shown++;
                } else {
                    hidden += e.getValue();
                }
            }
            if (hidden > 0) {
                parts.add(hidden + " more");
            }
            return String.join("; ", parts);
        }
    }

    private Optional<String> proof(RefUpdate u, String written, Policy.ProtectedRef rule, PushCredentials creds,
                                   List<CheckedToken> tokens, Reasons why) {
        if (!rule.pushers().isEmpty()) {
            if (creds.pusher().isPresent()) {
                if (rule.pushers().contains(creds.pusher().get())) {
                    return Optional.of("pusher:" + creds.pusher().get());
                }
                why.add("pusher '" + creds.pusher().get() + "' is not a pipeline identity");
            } else {
                why.add("no authenticated pusher in the environment");
            }
        }
        if (rule.acceptToken()) {
            Optional<String> t = tokenProof(u, written, creds, tokens, why);
            if (t.isPresent()) {
                return t;
            }
        }
        if (rule.acceptSigned()) {
            Optional<PushCredentials.SignedPush> sp = creds.signedPush();
            if (sp.isEmpty()) {
                why.add("not a signed push");
            } else if (!sp.get().trusted()) {
                why.add("signed push not trusted (" + sp.get().distrust() + ")");
            } else {
                List<String> allowed = settings.policy().identity().signedPushKeys();
                PushCredentials.KeyMatch m = sp.get().allowedBy(allowed);
                if (m.allowedKey().isPresent()) {
                    String k = SigningKeys.normalize(sp.get().key());
                    String primary = SigningKeys.normalize(m.allowedKey().get());
                    return Optional.of("signed-push:" + k + (SigningKeys.same(k, primary) ? "" : " (subkey of "
                            + primary + ")"));
                }
                why.add("signed push by key " + SigningKeys.normalize(sp.get().key()) + " (" + sp.get().signer()
                        + "): key not allowed (identity.signedPush.keys: " + (allowed.isEmpty() ? "none"
                        : String.join(", ", allowed.stream().map(SigningKeys::normalize).toList())) + ")"
                        + (m.problem() == null ? "" : "; " + m.problem()));
            }
        }
        if (why.isEmpty()) {
            why.add("this rule accepts no kind of proof");
        }
        return Optional.empty();
    }

    /** A pipeline token of the push, verified once for the whole push: its claims, or why it is no proof at all. */
    private record CheckedToken(TokenClaims claims, String problem) {}

    /** Verifies each token once (signature, kind, lifetime): N refs and M tokens cost M checks, not N x M. */
    private List<CheckedToken> checkTokens(PushCredentials creds) {
        List<CheckedToken> out = new ArrayList<>();
        if (creds.pipelineTokens().isEmpty() || settings.pipelineSecretProblem() != null
                || settings.pipelineSecret().isEmpty() || settings.policy() == null) {
            return out;
        }
        for (String token : creds.pipelineTokens()) {
            try {
                out.add(new CheckedToken(TokenCodec.verify(token, settings.pipelineSecret().get(),
                        TokenClaims.Kind.PIPELINE, settings.clock().instant(),
                        settings.policy().identity().token().maxTtl()), null));
            } catch (TokenException e) {
                out.add(new CheckedToken(null, "pipeline token refused: " + e.getMessage()));
            }
        }
        return out;
    }

    private Optional<String> tokenProof(RefUpdate u, String written, PushCredentials creds,
                                        List<CheckedToken> tokens, Reasons why) {
        if (creds.pipelineTokens().isEmpty()) {
            why.add("no pipeline token (git push -o gatekeeper-token=…)");
            return Optional.empty();
        }
        if (settings.pipelineSecretProblem() != null) {
            why.add("the server's pipeline secret is unusable: " + settings.pipelineSecretProblem());
            return Optional.empty();
        }
        if (settings.pipelineSecret().isEmpty()) {
            why.add("no pipeline secret is configured on the server");
            return Optional.empty();
        }
        RepositoryIdentity repo = settings.repository();
        for (CheckedToken t : tokens) {
            if (t.problem() != null) {
                why.add(t.problem());
                continue;
            }
            TokenClaims c = t.claims();
            if (!repo.accepts(c.repository())) {
                // the stabilize helper parses this wording: keep "is for repository 'A', not 'B'"
                why.add("token " + c.id() + " is for repository '" + c.repository() + "', not '" + repo.id() + "' ("
                        + repo.explain() + ")");
            } else if (!c.ref().equals(written)) {
                why.add("token " + c.id() + " is for " + c.ref() + ", not " + written
                        + (written.equals(u.refName()) ? "" : " (" + u.refName() + " is a symbolic ref to "
                        + written + ": mint the token for " + written + ")"));
            } else if (!c.sha().orElse("").toLowerCase(Locale.ROOT).equals(u.newId())) {
                why.add("token " + c.id() + " is for commit " + abbrev(c.sha().orElse("")) + ", not "
                        + abbrev(u.newId()));
            } else {
                return Optional.of("token:" + c.id());
            }
        }
        return Optional.empty();
    }

    private BreakGlassCheck checkBreakGlass(PushCredentials creds) {
        if (creds.breakGlassTokens().isEmpty()) {
            return new BreakGlassCheck(null, null, null);
        }
        if (settings.breakGlassSecret().isEmpty()) {
            return new BreakGlassCheck(null, null, "no break-glass secret is configured on the server");
        }
        String problem = null;
        for (String token : creds.breakGlassTokens()) {
            try {
                TokenClaims c = TokenCodec.verify(token, settings.breakGlassSecret().get(),
                        TokenClaims.Kind.BREAK_GLASS, settings.clock().instant(), BreakGlass.MAX_TTL);
                if (!settings.repository().accepts(c.repository()) && !c.repository().equals("*")) {
                    problem = "token " + c.id() + " is for repository '" + c.repository() + "', not '"
                            + settings.repository().id() + "' (" + settings.repository().explain() + ")";
                    continue;
                }
                return new BreakGlassCheck(c, RefPattern.of(c.ref()), null);
            } catch (TokenException | IllegalArgumentException e) {
                problem = e.getMessage();
            }
        }
        return new BreakGlassCheck(null, null, problem);
    }

    private record BreakGlassCheck(TokenClaims claims, RefPattern refGlob, String problem) {}

    private static Decision refuse(RefUpdate u, String written, String via, String rule, String reason,
                                   String how) {
        return new Decision(u, false, EventType.PUSH_REFUSED, rule, reason, "none", how, written, via);
    }

    static String abbrev(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
