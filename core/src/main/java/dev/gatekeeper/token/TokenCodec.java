package dev.gatekeeper.token;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Mints and verifies Gatekeeper tokens: {@code gk1.<base64url(claims)>.<base64url(HMAC-SHA256)>}. The claims
 * are a URL-encoded query string rather than JSON so the hook needs no JSON binding to check one.
 */
public final class TokenCodec {
    public static final String PREFIX = "gk1.";
    /** Tolerated clock difference between the minting machine and the git server. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    private TokenCodec() {}

    public static String mint(TokenClaims c, Secret secret) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("k", c.kind().wire());
        f.put("id", c.id());
        f.put("repo", c.repository());
        f.put("ref", c.ref());
        c.sha().ifPresent(s -> f.put("sha", s));
        f.put("iat", Long.toString(c.issuedAt().getEpochSecond()));
        f.put("exp", Long.toString(c.expiresAt().getEpochSecond()));
        c.reason().ifPresent(s -> f.put("reason", s));
        c.issuer().ifPresent(s -> f.put("by", s));
        if (c.allowForce()) {
            f.put("force", "1");
        }
        StringBuilder q = new StringBuilder();
        for (Map.Entry<String, String> e : f.entrySet()) {
            if (q.length() > 0) {
                q.append('&');
            }
            q.append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        String body = PREFIX + b64(q.toString().getBytes(StandardCharsets.UTF_8));
        return body + "." + b64(mac(secret, body));
    }

    /**
     * Checks signature, kind, lifetime and shape. Binding to repository, ref and SHA is the caller's check, so it
     * can say which one did not match.
     */
    public static TokenClaims verify(String token, Secret secret, TokenClaims.Kind expected, Instant now,
                                     Duration maxTtl) throws TokenException {
        if (token == null || !token.startsWith(PREFIX)) {
            throw new TokenException("not a gatekeeper token (expected gk1.…)");
        }
        int dot = token.lastIndexOf('.');
        if (dot <= PREFIX.length()) {
            throw new TokenException("malformed token");
        }
        String body = token.substring(0, dot);
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw new TokenException("malformed token signature");
        }
        if (!Secret.equalMacs(mac(secret, body), given)) {
            throw new TokenException("bad signature (wrong secret, or the token was altered)");
        }
        Map<String, String> f = parse(body.substring(PREFIX.length()));
        TokenClaims c;
        try {
            c = new TokenClaims(
                    TokenClaims.Kind.fromWire(req(f, "k")),
                    req(f, "id"),
                    req(f, "repo"),
                    req(f, "ref"),
                    Optional.ofNullable(f.get("sha")),
                    Instant.ofEpochSecond(Long.parseLong(req(f, "iat"))),
                    Instant.ofEpochSecond(Long.parseLong(req(f, "exp"))),
                    Optional.ofNullable(f.get("reason")),
                    Optional.ofNullable(f.get("by")),
                    "1".equals(f.get("force")));
        } catch (IllegalArgumentException e) {
            throw new TokenException("malformed token claims");
        }
        if (c.kind() != expected) {
            throw new TokenException("a " + c.kind().wire() + " token cannot be used as a " + expected.wire()
                    + " token");
        }
        if (now.isAfter(c.expiresAt())) {
            throw new TokenException("token " + c.id() + " expired at " + c.expiresAt());
        }
        if (c.issuedAt().isAfter(now.plus(CLOCK_SKEW))) {
            throw new TokenException("token " + c.id() + " is issued in the future (check the clocks)");
        }
        if (Duration.between(c.issuedAt(), c.expiresAt()).compareTo(maxTtl) > 0) {
            throw new TokenException("token " + c.id() + " lives longer than the allowed " + maxTtl.toMinutes()
                    + " minutes");
        }
        if (c.kind() == TokenClaims.Kind.PIPELINE && c.sha().isEmpty()) {
            throw new TokenException("pipeline token " + c.id() + " names no SHA");
        }
        if (c.kind() == TokenClaims.Kind.BREAK_GLASS && c.reason().map(String::isBlank).orElse(true)) {
            throw new TokenException("break-glass token " + c.id() + " has no reason");
        }
        return c;
    }

    /** A short random id, so each token can be named in the audit log without showing the token. */
    public static String newId() {
        byte[] b = new byte[9];
        RandomHolder.RANDOM.nextBytes(b);
        return "tok-" + b64(b);
    }

    /** Lazy: verifying a token (the hook's path) must not pay for seeding a SecureRandom. */
    private static final class RandomHolder {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    private static Map<String, String> parse(String b64) throws TokenException {
        String q;
        try {
            q = new String(Base64.getUrlDecoder().decode(b64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new TokenException("malformed token body");
        }
        Map<String, String> f = new LinkedHashMap<>();
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new TokenException("malformed token claims");
            }
            f.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return f;
    }

    private static String req(Map<String, String> f, String key) {
        String v = f.get(key);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException(key);
        }
        return v;
    }

    private static byte[] mac(Secret secret, String body) {
        return HmacSha256.mac(secret.bytes(), body.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
