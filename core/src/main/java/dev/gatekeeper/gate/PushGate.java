package dev.gatekeeper.gate;

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
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides every ref update of a push. Pure: it reads no files and writes no events (see
 * {@link PreReceiveCommand}), so every rule is testable without git.
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
    static final String FAIL_CLOSED_HOW =
            "An administrator must fix the policy (gatekeeper policy check FILE); for an urgent fix use a "
                    + "break-glass token (gatekeeper token break-glass --reason …).";

    /**
     * What the gate judges with. {@code policy} is null when none could be loaded; {@code policyProblem} then says
     * why. {@code pipelineSecretProblem} is non-null when a configured pipeline secret could not be used.
     */
    public record Settings(Policy policy, String policyProblem, String repository, Optional<Secret> pipelineSecret,
                           String pipelineSecretProblem, Optional<Secret> breakGlassSecret, Clock clock) {}

    private final Settings settings;

    public PushGate(Settings settings) {
        this.settings = settings;
    }

    public List<Decision> decide(List<RefUpdate> updates, PushCredentials creds, Ancestry ancestry) {
        BreakGlassCheck breakGlass = checkBreakGlass(creds);
        List<Decision> out = new ArrayList<>(updates.size());
        for (RefUpdate u : updates) {
            out.add(decide(u, creds, ancestry, breakGlass));
        }
        return out;
    }

    private Decision decide(RefUpdate u, PushCredentials creds, Ancestry ancestry, BreakGlassCheck bg) {
        Policy policy = settings.policy();
        Policy.ProtectedRef rule = policy == null ? null : policy.ruleFor(u.refName()).orElse(null);
        if (policy != null && rule == null) {
            return new Decision(u, true, Decision.ALLOWED, RULE_UNPROTECTED, "not a protected ref", "none", null);
        }
        String ruleName = rule == null ? RULE_FAIL_CLOSED : rule.pattern().glob();
        String how = rule == null ? FAIL_CLOSED_HOW : rule.howToLand();

        Boolean fastForward = null;
        if (!u.isCreate() && !u.isDelete()) {
            try {
                fastForward = ancestry.isFastForward(u.oldId(), u.newId());
            } catch (IOException | RuntimeException e) {
                return refuse(u, ruleName, "cannot read the pushed objects to check fast-forward ("
                        + e.getClass().getSimpleName() + "); refusing rather than guessing", how);
            }
        }
        boolean rewrite = u.isDelete() || Boolean.FALSE.equals(fastForward);

        if (bg.claims != null && bg.refGlob.matches(u.refName())) {
            if (rewrite && !bg.claims.allowForce()) {
                return refuse(u, ruleName, "break-glass token " + bg.claims.id() + " does not allow "
                        + (u.isDelete() ? "deletion" : "a non-fast-forward update")
                        + " (mint it with --allow-force)", how);
            }
            return new Decision(u, true, Decision.BREAK_GLASS, ruleName,
                    "by " + bg.claims.issuer().orElse("unknown") + ": " + bg.claims.reason().orElse("")
                            + " (token expires " + bg.claims.expiresAt() + ")",
                    "break-glass:" + bg.claims.id(), null);
        }
        String bgNote = bg.problem == null ? "" : "; break-glass token refused: " + bg.problem;

        if (rule == null) {
            return refuse(u, ruleName, "no usable policy (" + settings.policyProblem()
                    + "), so every ref is protected" + bgNote, how);
        }
        if (u.isDelete() && !rule.allowDeletion()) {
            return refuse(u, ruleName, "deleting a protected ref is refused, even for the pipeline" + bgNote, how);
        }
        if (Boolean.FALSE.equals(fastForward) && !rule.allowForcePush()) {
            return refuse(u, ruleName,
                    "non-fast-forward update (force-push) of a protected ref is refused, even for the pipeline"
                            + bgNote, how);
        }
        List<String> why = new ArrayList<>();
        Optional<String> proof = proof(u, rule, creds, why);
        if (proof.isPresent()) {
            return new Decision(u, true, Decision.ALLOWED, ruleName, "pipeline proof accepted", proof.get(), null);
        }
        return refuse(u, ruleName, "direct push to a protected ref: no pipeline proof (" + String.join("; ", why)
                + ")" + bgNote, how);
    }

    private Optional<String> proof(RefUpdate u, Policy.ProtectedRef rule, PushCredentials creds, List<String> why) {
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
            Optional<String> t = tokenProof(u, creds, why);
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

    private Optional<String> tokenProof(RefUpdate u, PushCredentials creds, List<String> why) {
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
        for (String token : creds.pipelineTokens()) {
            try {
                TokenClaims c = TokenCodec.verify(token, settings.pipelineSecret().get(), TokenClaims.Kind.PIPELINE,
                        settings.clock().instant(), settings.policy().identity().token().maxTtl());
                if (!c.repository().equals(settings.repository())) {
                    why.add("token " + c.id() + " is for repository '" + c.repository() + "', not '"
                            + settings.repository() + "'");
                } else if (!c.ref().equals(u.refName())) {
                    why.add("token " + c.id() + " is for " + c.ref() + ", not " + u.refName());
                } else if (!c.sha().orElse("").toLowerCase(Locale.ROOT).equals(u.newId())) {
                    why.add("token " + c.id() + " is for commit " + abbrev(c.sha().orElse("")) + ", not "
                            + abbrev(u.newId()));
                } else {
                    return Optional.of("token:" + c.id());
                }
            } catch (TokenException e) {
                why.add("pipeline token refused: " + e.getMessage());
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
                if (!c.repository().equals(settings.repository()) && !c.repository().equals("*")) {
                    problem = "token " + c.id() + " is for repository '" + c.repository() + "'";
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

    private static Decision refuse(RefUpdate u, String rule, String reason, String how) {
        return new Decision(u, false, Decision.REFUSED, rule, reason, "none", how);
    }

    static String abbrev(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
