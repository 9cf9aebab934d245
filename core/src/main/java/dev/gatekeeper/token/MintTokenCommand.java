package dev.gatekeeper.token;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.settings.SettingsException;
import dev.gatekeeper.policy.RefPattern;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Mints a pipeline token (bound to repository, ref and new SHA) or a break-glass token (bound to a repository,
 * with a mandatory reason). Shared by the CLI, the Jenkins step and the GitHub Action.
 */
public final class MintTokenCommand {
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

    private TokenClaims.Kind kind = TokenClaims.Kind.PIPELINE;
    private String repository;
    private String ref;
    private String sha;
    private Duration ttl;
    private Secret secret;
    private String reason;
    private String issuer;
    private boolean allowForce;
    private Clock clock = Clock.systemUTC();

    public MintTokenCommand setKind(TokenClaims.Kind v) { this.kind = v; return this; }
    public MintTokenCommand setRepository(String v) { this.repository = v; return this; }
    public MintTokenCommand setRef(String v) { this.ref = v; return this; }
    public MintTokenCommand setSha(String v) { this.sha = v; return this; }
    public MintTokenCommand setTtl(Duration v) { this.ttl = v; return this; }
    public MintTokenCommand setSecret(Secret v) { this.secret = v; return this; }
    public MintTokenCommand setReason(String v) { this.reason = v; return this; }
    public MintTokenCommand setIssuer(String v) { this.issuer = v; return this; }
    public MintTokenCommand setAllowForce(boolean v) { this.allowForce = v; return this; }
    public MintTokenCommand setClock(Clock v) { this.clock = v; return this; }

    /** The minted token and what it says (the claims are safe to log; the token is not). */
    public record Minted(String token, TokenClaims claims) {}

    public Minted call() throws GatekeeperException {
        if (secret == null) {
            throw usage("no secret: set the environment variable or pass a secret file");
        }
        if (repository == null || repository.isBlank()) {
            throw SettingsException.of("repo", "required", "the repository name the server knows, e.g. 'app'");
        }
        boolean pipeline = kind == TokenClaims.Kind.PIPELINE;
        Duration max = pipeline ? Duration.ofHours(24) : BreakGlass.MAX_TTL;
        Duration life = ttl != null ? ttl : pipeline ? Duration.ofMinutes(10) : BreakGlass.DEFAULT_TTL;
        if (life.isNegative() || life.isZero() || life.compareTo(max) > 0) {
            throw SettingsException.of("ttl", "must be more than 0 and at most " + max.toMinutes() + " minutes", null);
        }
        String boundRef = ref;
        if (pipeline) {
            if (boundRef == null || !boundRef.startsWith("refs/")) {
                throw SettingsException.of("ref", "must be a full ref name", "a ref such as refs/heads/main");
            }
            if (sha == null || !SHA.matcher(sha).matches()) {
                throw SettingsException.of("sha", "must be a full lower-case commit id", "40 or 64 hex digits");
            }
        } else {
            if (reason == null || reason.isBlank()) {
                throw SettingsException.of("reason", "required for break-glass: say why, it goes to the audit log and "
                        + "the alert", null);
            }
            boundRef = boundRef == null ? "refs/**" : boundRef;
            try {
                RefPattern.of(boundRef);
            } catch (IllegalArgumentException e) {
                throw SettingsException.of("ref", e.getMessage(), null);
            }
        }
        Instant now = clock.instant();
        TokenClaims claims = new TokenClaims(kind, TokenCodec.newId(), repository, boundRef,
                pipeline ? Optional.of(sha) : Optional.empty(), now, now.plus(life),
                Optional.ofNullable(reason).filter(s -> !s.isBlank()),
                Optional.ofNullable(issuer).filter(s -> !s.isBlank()), !pipeline && allowForce);
        return new Minted(TokenCodec.mint(claims, secret), claims);
    }

    private static GatekeeperException usage(String message) {
        return new GatekeeperException(ExitCode.USAGE, message);
    }
}
