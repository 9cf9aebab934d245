package dev.gatekeeper.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenCodecTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final Duration MAX = Duration.ofHours(1);
    private static final Secret SECRET = Secret.of("pipeline-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8),
            "test");
    private static final Secret OTHER = Secret.of("another-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8),
            "test");
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    private static TokenClaims pipeline(Instant iat, Instant exp) {
        return new TokenClaims(TokenClaims.Kind.PIPELINE, "tok-p1", "app", "refs/heads/main", Optional.of(SHA), iat,
                exp, Optional.empty(), Optional.of("jenkins"), false);
    }

    private static TokenClaims pipeline() {
        return pipeline(NOW.minusSeconds(30), NOW.plus(Duration.ofMinutes(10)));
    }

    private static TokenClaims breakGlass(Optional<String> reason, boolean force) {
        return new TokenClaims(TokenClaims.Kind.BREAK_GLASS, "tok-bg1", "app", "refs/**", Optional.empty(),
                NOW.minusSeconds(30), NOW.plus(Duration.ofMinutes(15)), reason, Optional.of("alice"), force);
    }

    private static String verifyFails(String token, Secret secret, TokenClaims.Kind kind, Instant now, Duration max) {
        return assertThrows(TokenException.class, () -> TokenCodec.verify(token, secret, kind, now, max)).getMessage();
    }

    @Test
    void pipelineTokenRoundTrips() throws Exception {
        TokenClaims c = pipeline();
        String token = TokenCodec.mint(c, SECRET);
        assertTrue(token.startsWith("gk1."), token);
        assertEquals(3, token.split("\\.").length, token);
        TokenClaims back = TokenCodec.verify(token, SECRET, TokenClaims.Kind.PIPELINE, NOW, MAX);
        // seconds precision on the wire; the claims here are whole seconds, so they compare equal
        assertEquals(c, back);
    }

    @Test
    void breakGlassTokenRoundTripsWithReasonIssuerAndForce() throws Exception {
        TokenClaims c = breakGlass(Optional.of("prod down: revert #123 & redeploy = now; ünïcode ok"), true);
        TokenClaims back = TokenCodec.verify(TokenCodec.mint(c, SECRET), SECRET, TokenClaims.Kind.BREAK_GLASS, NOW,
                BreakGlass.MAX_TTL);
        assertEquals(c, back);
        assertTrue(back.allowForce());
        assertEquals(Optional.empty(), back.sha());
    }

    @Test
    void forceIsOffUnlessMinted() throws Exception {
        TokenClaims back = TokenCodec.verify(TokenCodec.mint(breakGlass(Optional.of("outage"), false), SECRET),
                SECRET, TokenClaims.Kind.BREAK_GLASS, NOW, MAX);
        assertFalse(back.allowForce());
    }

    @Test
    void wrongSecretIsRefused() {
        String token = TokenCodec.mint(pipeline(), SECRET);
        assertTrue(verifyFails(token, OTHER, TokenClaims.Kind.PIPELINE, NOW, MAX).startsWith("bad signature"));
    }

    @Test
    void alteredPayloadIsRefused() {
        String token = TokenCodec.mint(pipeline(), SECRET);
        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertTrue(claims.contains("repo=app"), claims);
        String forged = claims.replace("ref=refs%2Fheads%2Fmain", "ref=refs%2Fheads%2Fprod");
        assertNotEquals(claims, forged);
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(forged.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertTrue(verifyFails(tampered, SECRET, TokenClaims.Kind.PIPELINE, NOW, MAX).startsWith("bad signature"));
    }

    @Test
    void alteredSignatureIsRefused() {
        String token = TokenCodec.mint(pipeline(), SECRET);
        char last = token.charAt(token.length() - 2);
        String tampered = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A')
                + token.charAt(token.length() - 1);
        assertThrows(TokenException.class,
                () -> TokenCodec.verify(tampered, SECRET, TokenClaims.Kind.PIPELINE, NOW, MAX));
        assertThrows(TokenException.class, () -> TokenCodec.verify(token.substring(0, token.length() - 4), SECRET,
                TokenClaims.Kind.PIPELINE, NOW, MAX));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "gk1.", "gk1..", "gk2.abc.def", "hello", "gk1.abc", "gk1.!!!.AAAA", "gk1.abc.***"})
    void malformedTokensAreRefused(String token) {
        assertThrows(TokenException.class,
                () -> TokenCodec.verify(token, SECRET, TokenClaims.Kind.PIPELINE, NOW, MAX));
    }

    @Test
    void nullTokenIsRefused() {
        assertThrows(TokenException.class, () -> TokenCodec.verify(null, SECRET, TokenClaims.Kind.PIPELINE, NOW, MAX));
    }

    @Test
    void expiredTokenIsRefused() {
        TokenClaims c = pipeline(NOW.minus(Duration.ofMinutes(20)), NOW.minus(Duration.ofMinutes(5)));
        String msg = verifyFails(TokenCodec.mint(c, SECRET), SECRET, TokenClaims.Kind.PIPELINE, NOW, MAX);
        assertTrue(msg.contains("expired"), msg);
        assertTrue(msg.contains("tok-p1"), msg);
    }

    @Test
    void tokenIsValidUpToItsExpirySecond() throws Exception {
        TokenClaims c = pipeline(NOW.minus(Duration.ofMinutes(20)), NOW);
        TokenCodec.verify(TokenCodec.mint(c, SECRET), SECRET, TokenClaims.Kind.PIPELINE, NOW, MAX);
        String msg = verifyFails(TokenCodec.mint(c, SECRET), SECRET, TokenClaims.Kind.PIPELINE, NOW.plusSeconds(1),
                MAX);
        assertTrue(msg.contains("expired"), msg);
    }

    @Test
    void issuedInTheFutureBeyondSkewIsRefused() {
        TokenClaims c = pipeline(NOW.plus(TokenCodec.CLOCK_SKEW).plusSeconds(1), NOW.plus(Duration.ofMinutes(30)));
        String msg = verifyFails(TokenCodec.mint(c, SECRET), SECRET, TokenClaims.Kind.PIPELINE, NOW, MAX);
        assertTrue(msg.contains("issued in the future"), msg);
    }

    @Test
    void issuedSlightlyInTheFutureWithinSkewIsAccepted() throws Exception {
        TokenClaims c = pipeline(NOW.plus(TokenCodec.CLOCK_SKEW), NOW.plus(Duration.ofMinutes(30)));
        assertEquals(c, TokenCodec.verify(TokenCodec.mint(c, SECRET), SECRET, TokenClaims.Kind.PIPELINE, NOW, MAX));
    }

    @Test
    void lifetimeLongerThanMaxIsRefused() throws Exception {
        TokenClaims c = pipeline(NOW, NOW.plus(MAX).plusSeconds(1));
        String msg = verifyFails(TokenCodec.mint(c, SECRET), SECRET, TokenClaims.Kind.PIPELINE, NOW, MAX);
        assertTrue(msg.contains("lives longer than the allowed 60 minutes"), msg);
        // exactly the maximum is fine
        TokenClaims exact = pipeline(NOW, NOW.plus(MAX));
        assertEquals(exact, TokenCodec.verify(TokenCodec.mint(exact, SECRET), SECRET, TokenClaims.Kind.PIPELINE, NOW,
                MAX));
    }

    @Test
    void pipelineTokenIsNotABreakGlassToken() {
        String msg = verifyFails(TokenCodec.mint(pipeline(), SECRET), SECRET, TokenClaims.Kind.BREAK_GLASS, NOW, MAX);
        assertEquals("a pipeline token cannot be used as a break-glass token", msg);
    }

    @Test
    void breakGlassTokenIsNotAPipelineToken() {
        String token = TokenCodec.mint(breakGlass(Optional.of("outage"), true), SECRET);
        String msg = verifyFails(token, SECRET, TokenClaims.Kind.PIPELINE, NOW, MAX);
        assertEquals("a break-glass token cannot be used as a pipeline token", msg);
    }

    @Test
    void breakGlassWithoutReasonIsRefused() {
        String msg = verifyFails(TokenCodec.mint(breakGlass(Optional.empty(), false), SECRET), SECRET,
                TokenClaims.Kind.BREAK_GLASS, NOW, MAX);
        assertTrue(msg.contains("has no reason"), msg);
    }

    @Test
    void breakGlassWithBlankReasonIsRefused() {
        String msg = verifyFails(TokenCodec.mint(breakGlass(Optional.of("   "), false), SECRET), SECRET,
                TokenClaims.Kind.BREAK_GLASS, NOW, MAX);
        assertTrue(msg.contains("has no reason"), msg);
    }

    @Test
    void pipelineTokenWithoutShaIsRefused() {
        TokenClaims c = new TokenClaims(TokenClaims.Kind.PIPELINE, "tok-p2", "app", "refs/heads/main",
                Optional.empty(), NOW, NOW.plusSeconds(60), Optional.empty(), Optional.empty(), false);
        String msg = verifyFails(TokenCodec.mint(c, SECRET), SECRET, TokenClaims.Kind.PIPELINE, NOW, MAX);
        assertTrue(msg.contains("names no SHA"), msg);
    }

    @Test
    void tokenDoesNotContainTheSecret() {
        String token = TokenCodec.mint(pipeline(), SECRET);
        assertFalse(token.contains("pipeline-secret"), token);
        for (String part : token.split("\\.")) {
            String decoded = new String(Base64.getUrlDecoder().decode(part.equals("gk1") ? "" : part),
                    StandardCharsets.ISO_8859_1);
            assertFalse(decoded.contains("pipeline-secret"), decoded);
        }
    }

    @Test
    void newIdsAreShortAndUnique() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = TokenCodec.newId();
            assertTrue(id.matches("tok-[A-Za-z0-9_-]{12}"), id);
            assertTrue(ids.add(id), "duplicate id " + id);
        }
    }
}
