package dev.gatekeeper.gate;

import dev.gatekeeper.events.EventType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.policy.Policy;
import dev.gatekeeper.policy.PolicyLoader;
import dev.gatekeeper.token.Secret;
import dev.gatekeeper.token.TokenClaims;
import dev.gatekeeper.token.TokenCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PushGateTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String REPO = "app";
    private static final String ZERO = "0".repeat(40);
    private static final String OLD = "1111111111111111111111111111111111111111";
    private static final String NEW = "2222222222222222222222222222222222222222";
    private static final String OTHER_SHA = "3333333333333333333333333333333333333333";
    private static final String MAIN = "refs/heads/main";
    private static final String MAIN_HOW = "Open a merge request; the pipeline merges it.";

    private static final Secret PIPELINE = secret("pipeline-secret-0123456789abcdef");
    private static final Secret BREAK_GLASS = secret("break-glass-secret-0123456789abcdef");
    private static final Ancestry FAST_FORWARD = (o, n) -> true;
    private static final Ancestry REWRITE = (o, n) -> false;

    private static Policy policy;

    @BeforeAll
    static void loadPolicy() throws Exception {
        try (InputStream in = PushGateTest.class.getResourceAsStream("gate-policy.yaml")) {
            assertNotNull(in, "missing fixture gate-policy.yaml");
            Reader r = new InputStreamReader(in, StandardCharsets.UTF_8);
            policy = PolicyLoader.parse(r, "gate-policy.yaml", Path.of("/srv/gatekeeper"));
        }
    }

    private static Secret secret(String value) {
        return Secret.load(Map.of("S", value), "S", null).orElseThrow();
    }

    // ---- building blocks ----

    private static PushGate gate() {
        return new PushGate(new PushGate.Settings(policy, null, REPO, Optional.of(PIPELINE), null,
                Optional.of(BREAK_GLASS), CLOCK));
    }

    private static PushGate failClosedGate() {
        return new PushGate(new PushGate.Settings(null, "gate-policy.yaml:3:1: broken", REPO, Optional.empty(), null,
                Optional.of(BREAK_GLASS), CLOCK));
    }

    private static String pipelineToken(String repo, String ref, String sha) {
        return pipelineToken(repo, ref, sha, NOW.minusSeconds(30), NOW.plus(Duration.ofMinutes(10)), PIPELINE);
    }

    private static String pipelineToken(String repo, String ref, String sha, Instant iat, Instant exp, Secret s) {
        return TokenCodec.mint(new TokenClaims(TokenClaims.Kind.PIPELINE, TokenCodec.newId(), repo, ref,
                Optional.of(sha), iat, exp, Optional.empty(), Optional.of("jenkins"), false), s);
    }

    private static String breakGlassToken(String repo, String refGlob, boolean force) {
        return breakGlassToken(repo, refGlob, force, BREAK_GLASS, TokenClaims.Kind.BREAK_GLASS);
    }

    private static String breakGlassToken(String repo, String refGlob, boolean force, Secret s, TokenClaims.Kind k) {
        return TokenCodec.mint(new TokenClaims(k, "tok-bg-" + repo.replace('*', 'x'), repo, refGlob,
                k == TokenClaims.Kind.PIPELINE ? Optional.of(NEW) : Optional.empty(), NOW.minusSeconds(30),
                NOW.plus(Duration.ofMinutes(15)), Optional.of("prod is down, INC-42"), Optional.of("alice"), force), s);
    }

    /** Credentials as git would hand them to the hook. */
    private static final class Push {
        private final Map<String, String> env = new HashMap<>();
        private final List<String> options = new ArrayList<>();
        private SigningKeys keys = SigningKeys.NONE;

        /** The keyring a signed push's subkeys are looked up in (default: none, so no gpg runs in unit tests). */
        Push keys(SigningKeys k) {
            keys = k;
            return this;
        }

        Push env(String k, String v) {
            env.put(k, v);
            return this;
        }

        Push token(String t) {
            options.add(PushCredentials.TOKEN_OPTION + t);
            return this;
        }

        Push breakGlass(String t) {
            options.add(PushCredentials.BREAK_GLASS_OPTION + t);
            return this;
        }

        PushCredentials creds(List<String> pusherEnv) {
            Map<String, String> all = new HashMap<>(env);
            all.put("GIT_PUSH_OPTION_COUNT", Integer.toString(options.size()));
            for (int i = 0; i < options.size(); i++) {
                all.put("GIT_PUSH_OPTION_" + i, options.get(i));
            }
            return PushCredentials.from(all, pusherEnv, keys);
        }

        PushCredentials creds() {
            return creds(policy.identity().pusherEnv());
        }
    }

    private static Push push() {
        return new Push();
    }

    private static Decision one(PushGate gate, RefUpdate u, Push p, Ancestry a) {
        List<Decision> d = gate.decide(List.of(u), p.creds(), a);
        assertEquals(1, d.size());
        assertEquals(u, d.get(0).update());
        return d.get(0);
    }

    private static Decision one(RefUpdate u, Push p, Ancestry a) {
        return one(gate(), u, p, a);
    }

    private static RefUpdate update(String ref) {
        return new RefUpdate(OLD, NEW, ref);
    }

    private static void assertRefused(Decision d, String ruleName, String reasonPart) {
        assertFalse(d.allowed(), d::toString);
        assertEquals(EventType.PUSH_REFUSED, d.type());
        assertEquals(ruleName, d.rule());
        assertEquals("none", d.proof());
        assertTrue(d.reason().contains(reasonPart), () -> "reason '" + d.reason() + "' lacks '" + reasonPart + "'");
        assertNotNull(d.howToLand());
    }

    private static void assertAllowed(Decision d, String ruleName, String proof) {
        assertTrue(d.allowed(), d::toString);
        assertEquals(EventType.PUSH_ALLOWED, d.type());
        assertEquals(ruleName, d.rule());
        assertEquals(proof, d.proof());
        assertNull(d.howToLand());
    }

    private static String tokenId(String token) throws Exception {
        return TokenCodec.verify(token, PIPELINE, TokenClaims.Kind.PIPELINE, NOW, Duration.ofHours(1)).id();
    }

    // ---- unprotected and unproven ----

    @Test
    void unprotectedRefIsAllowedWithoutLookingAtHistory() {
        AtomicInteger asked = new AtomicInteger();
        Decision d = one(update("refs/heads/feature/x"), push(), (o, n) -> asked.incrementAndGet() < 0);
        assertAllowed(d, PushGate.RULE_UNPROTECTED, "none");
        assertEquals(0, asked.get());
    }

    @Test
    void unprotectedForcePushAndDeletionAreAllowed() {
        assertAllowed(one(update("refs/heads/feature/x"), push(), REWRITE), PushGate.RULE_UNPROTECTED, "none");
        assertAllowed(one(new RefUpdate(OLD, ZERO, "refs/heads/feature/x"), push(), REWRITE),
                PushGate.RULE_UNPROTECTED, "none");
    }

    @Test
    void protectedRefWithoutProofIsRefused() {
        Decision d = one(update(MAIN), push(), FAST_FORWARD);
        assertRefused(d, MAIN, "direct push to a protected ref: no pipeline proof");
        assertTrue(d.reason().contains("no pipeline token"), d.reason());
        assertEquals(MAIN_HOW, d.howToLand());
    }

    @Test
    void protectedTagIsRefusedWithTheDefaultHowToLand() {
        Decision d = one(new RefUpdate(ZERO, NEW, "refs/tags/v1.0"), push(), FAST_FORWARD);
        assertRefused(d, "refs/tags/v*", "no pipeline proof");
        assertEquals(PolicyLoader.DEFAULT_HOW_TO_LAND, d.howToLand());
    }

    @Test
    void ruleThatAcceptsNoProofRefusesEverything() {
        Decision d = one(update("refs/heads/nothing"), push().token(pipelineToken(REPO, "refs/heads/nothing", NEW)),
                FAST_FORWARD);
        assertRefused(d, "refs/heads/nothing", "this rule accepts no kind of proof");
    }

    // ---- pipeline tokens ----

    @Test
    void validTokenIsProof() throws Exception {
        String token = pipelineToken(REPO, MAIN, NEW);
        Decision d = one(update(MAIN), push().token(token), FAST_FORWARD);
        assertAllowed(d, MAIN, "token:" + tokenId(token));
        assertEquals("pipeline proof accepted", d.reason());
    }

    @Test
    void validTokenCreatesAProtectedRefWithoutAskingAncestry() throws Exception {
        String token = pipelineToken(REPO, MAIN, NEW);
        Decision d = one(new RefUpdate(ZERO, NEW, MAIN), push().token(token), (o, n) -> {
            throw new IOException("must not be asked for a creation");
        });
        assertAllowed(d, MAIN, "token:" + tokenId(token));
    }

    @Test
    void tokenForAnotherShaIsRefused() {
        Decision d = one(update(MAIN), push().token(pipelineToken(REPO, MAIN, OTHER_SHA)), FAST_FORWARD);
        assertRefused(d, MAIN, "is for commit 333333333333, not 222222222222");
    }

    @Test
    void tokenForAnotherRefIsRefused() {
        Decision d = one(update(MAIN), push().token(pipelineToken(REPO, "refs/heads/dev", NEW)), FAST_FORWARD);
        assertRefused(d, MAIN, "is for refs/heads/dev, not refs/heads/main");
    }

    @Test
    void tokenForAnotherRepositoryIsRefused() {
        Decision d = one(update(MAIN), push().token(pipelineToken("other", MAIN, NEW)), FAST_FORWARD);
        assertRefused(d, MAIN, "is for repository 'other', not 'app'");
    }

    @Test
    void expiredTokenIsRefused() {
        String token = pipelineToken(REPO, MAIN, NEW, NOW.minus(Duration.ofMinutes(20)),
                NOW.minus(Duration.ofMinutes(1)), PIPELINE);
        Decision d = one(update(MAIN), push().token(token), FAST_FORWARD);
        assertRefused(d, MAIN, "pipeline token refused: token ");
        assertTrue(d.reason().contains("expired"), d.reason());
    }

    @Test
    void tokenLivingLongerThanThePolicyAllowsIsRefused() {
        String token = pipelineToken(REPO, MAIN, NEW, NOW, NOW.plus(Duration.ofMinutes(45)), PIPELINE);
        assertRefused(one(update(MAIN), push().token(token), FAST_FORWARD), MAIN, "lives longer than the allowed 30");
    }

    @Test
    void tokenSignedWithAnotherSecretIsRefused() {
        String token = pipelineToken(REPO, MAIN, NEW, NOW, NOW.plusSeconds(60), BREAK_GLASS);
        assertRefused(one(update(MAIN), push().token(token), FAST_FORWARD), MAIN, "bad signature");
    }

    @Test
    void breakGlassTokenPresentedAsPipelineTokenIsRefused() {
        String token = breakGlassToken(REPO, "refs/**", true, PIPELINE, TokenClaims.Kind.BREAK_GLASS);
        assertRefused(one(update(MAIN), push().token(token), FAST_FORWARD), MAIN,
                "a break-glass token cannot be used as a pipeline token");
    }

    @Test
    void oneGoodTokenAmongBadOnesIsEnough() throws Exception {
        String good = pipelineToken(REPO, MAIN, NEW);
        Decision d = one(update(MAIN), push().token("garbage").token(pipelineToken(REPO, MAIN, OTHER_SHA)).token(good),
                FAST_FORWARD);
        assertAllowed(d, MAIN, "token:" + tokenId(good));
    }

    @Test
    void tokenWithoutServerSecretIsRefused() {
        PushGate noSecret = new PushGate(new PushGate.Settings(policy, null, REPO, Optional.empty(), null,
                Optional.empty(), CLOCK));
        Decision d = one(noSecret, update(MAIN), push().token(pipelineToken(REPO, MAIN, NEW)), FAST_FORWARD);
        assertRefused(d, MAIN, "no pipeline secret is configured on the server");
    }

    @Test
    void unusableServerSecretIsReported() {
        PushGate broken = new PushGate(new PushGate.Settings(policy, null, REPO, Optional.empty(),
                "the secret from file x is shorter than 16 bytes", Optional.empty(), CLOCK));
        Decision d = one(broken, update(MAIN), push().token(pipelineToken(REPO, MAIN, NEW)), FAST_FORWARD);
        assertRefused(d, MAIN, "the server's pipeline secret is unusable: the secret from file x is shorter");
    }

    // ---- rewrites ----

    @Test
    void forcePushIsRefusedEvenWithAValidToken() {
        Decision d = one(update(MAIN), push().token(pipelineToken(REPO, MAIN, NEW)), REWRITE);
        assertRefused(d, MAIN, "non-fast-forward update (force-push) of a protected ref is refused");
        assertEquals(MAIN_HOW, d.howToLand());
    }

    @Test
    void deletionIsRefusedEvenWithAValidToken() {
        Decision d = one(new RefUpdate(OLD, ZERO, MAIN), push().token(pipelineToken(REPO, MAIN, ZERO)), (o, n) -> {
            throw new IOException("must not be asked for a deletion");
        });
        assertRefused(d, MAIN, "deleting a protected ref is refused");
    }

    @Test
    void allowForcePushStillNeedsProof() throws Exception {
        String ref = "refs/heads/rewrite";
        String token = pipelineToken(REPO, ref, NEW);
        assertAllowed(one(update(ref), push().token(token), REWRITE), ref, "token:" + tokenId(token));
        assertRefused(one(update(ref), push(), REWRITE), ref, "no pipeline proof");
    }

    @Test
    void allowDeletionStillNeedsProof() throws Exception {
        String ref = "refs/heads/rewrite";
        RefUpdate delete = new RefUpdate(OLD, ZERO, ref);
        String token = pipelineToken(REPO, ref, ZERO);
        assertAllowed(one(delete, push().token(token), FAST_FORWARD), ref, "token:" + tokenId(token));
        assertRefused(one(delete, push(), FAST_FORWARD), ref, "no pipeline proof");
        // a token for a commit does not allow deleting the ref
        assertRefused(one(delete, push().token(pipelineToken(REPO, ref, NEW)), FAST_FORWARD), ref, "is for commit");
    }

    @Test
    void ancestryFailureIsARefusalNotAGuess() {
        Decision d = one(update(MAIN), push().token(pipelineToken(REPO, MAIN, NEW)), (o, n) -> {
            throw new IOException("missing object");
        });
        assertRefused(d, MAIN, "cannot read the pushed objects to check fast-forward (IOException)");
        Decision r = one(update(MAIN), push().token(pipelineToken(REPO, MAIN, NEW)), (o, n) -> {
            throw new IllegalStateException("corrupt pack");
        });
        assertRefused(r, MAIN, "(IllegalStateException)");
    }

    // ---- pusher identity ----

    @Test
    void pipelinePusherIsProof() {
        Decision d = one(update("refs/heads/bot/deps"), push().env("GL_USERNAME", "ci-bot"), FAST_FORWARD);
        assertAllowed(d, "refs/heads/bot/*", "pusher:ci-bot");
    }

    @Test
    void laterPusherVariableIsUsedWhenTheFirstIsUnset() {
        Decision d = one(update("refs/heads/bot/deps"), push().env("REMOTE_USER", "release-bot"), FAST_FORWARD);
        assertAllowed(d, "refs/heads/bot/*", "pusher:release-bot");
    }

    @Test
    void otherPusherIsRefused() {
        Decision d = one(update("refs/heads/bot/deps"), push().env("GL_USERNAME", "alice").env("REMOTE_USER", "ci-bot"),
                FAST_FORWARD);
        assertRefused(d, "refs/heads/bot/*", "pusher 'alice' is not a pipeline identity");
    }

    @Test
    void missingPusherIsRefused() {
        assertRefused(one(update("refs/heads/bot/deps"), push(), FAST_FORWARD), "refs/heads/bot/*",
                "no authenticated pusher in the environment");
    }

    @Test
    void pusherVariableNotNamedByThePolicyIsIgnored() {
        Decision d = one(update("refs/heads/bot/deps"), push().env("USER", "ci-bot"), FAST_FORWARD);
        assertRefused(d, "refs/heads/bot/*", "no authenticated pusher");
    }

    @Test
    void pipelinePusherOnARuleWithoutPushersIsNoProof() {
        assertRefused(one(update(MAIN), push().env("GL_USERNAME", "ci-bot"), FAST_FORWARD), MAIN, "no pipeline proof");
    }

    @Test
    void pipelinePusherCannotForcePush() {
        assertRefused(one(update("refs/heads/bot/deps"), push().env("GL_USERNAME", "ci-bot"), REWRITE),
                "refs/heads/bot/*", "non-fast-forward");
    }

    // ---- signed pushes ----

    private static Push signed(String status, String key) {
        return push().env("GIT_PUSH_CERT_STATUS", status).env("GIT_PUSH_CERT_KEY", key)
                .env("GIT_PUSH_CERT_SIGNER", "CI <ci@example.com>");
    }

    @Test
    void goodSignatureByAnAllowedKeyIsProof() {
        String ref = "refs/heads/signed";
        assertAllowed(one(update(ref), signed("G", "89ABCDEF01234567"), FAST_FORWARD), ref,
                "signed-push:89ABCDEF01234567");
        assertAllowed(one(update(ref), signed("G", "0123456789ABCDEF0123456789ABCDEF01234567"), FAST_FORWARD), ref,
                "signed-push:0123456789ABCDEF0123456789ABCDEF01234567");
        assertTrue(one(update(ref), signed("G", "89abcdef01234567"), FAST_FORWARD).allowed(), "hex case is ignored");
    }

    @Test
    void badSignatureStatusIsRefused() {
        String ref = "refs/heads/signed";
        for (String status : List.of("B", "U", "X", "Y", "R", "E", "N")) {
            Decision d = one(update(ref), signed(status, "89ABCDEF01234567"), FAST_FORWARD);
            assertRefused(d, ref, "signed push not trusted (status " + status);
        }
    }

    @Test
    void replayedCertificateIsRefused() {
        String ref = "refs/heads/signed";
        Decision d = one(update(ref), signed("G", "89ABCDEF01234567").env("GIT_PUSH_CERT_NONCE_STATUS", "BAD"),
                FAST_FORWARD);
        assertRefused(d, ref, "signed push not trusted");
        assertTrue(one(update(ref), signed("G", "89ABCDEF01234567").env("GIT_PUSH_CERT_NONCE_STATUS", "OK"),
                FAST_FORWARD).allowed());
    }

    @Test
    void goodSignatureByAnotherKeyIsRefusedAsKeyNotAllowed() {
        String ref = "refs/heads/signed";
        assertRefused(one(update(ref), signed("G", "FEDCBA9876543210"), FAST_FORWARD), ref, "key not allowed");
        assertRefused(one(update(ref), signed("G", ""), FAST_FORWARD), ref, "key not allowed");
    }

    /** A primary key listed in the policy and its signing subkey, as gpg --with-colons lists them. */
    private static final String PRIMARY = "0123456789ABCDEF0123456789ABCDEF01234567";
    private static final String SUBKEY = "AAAABBBBCCCCDDDDEEEEFFFF0000111122223333";

    @Test
    void aSigningSubkeyOfAnAllowedPrimaryKeyIsProof() {
        String ref = "refs/heads/signed";
        SigningKeys ring = allowed -> Map.of(allowed.get(0), List.of(SUBKEY));
        // git reports the long id of the subkey that signed
        Decision d = one(update(ref), signed("G", SUBKEY.substring(24)).keys(ring), FAST_FORWARD);
        assertAllowed(d, ref, "signed-push:" + SUBKEY.substring(24) + " (subkey of " + PRIMARY + ")");
        assertAllowed(one(update(ref), signed("G", SUBKEY).keys(ring), FAST_FORWARD), ref,
                "signed-push:" + SUBKEY + " (subkey of " + PRIMARY + ")");
        assertRefused(one(update(ref), signed("G", "FEDCBA9876543210").keys(ring), FAST_FORWARD), ref,
                "key not allowed");
    }

    @Test
    void aKeyringThatCannotBeReadIsSaidAlongsideKeyNotAllowed() {
        String ref = "refs/heads/signed";
        SigningKeys broken = allowed -> {
            throw new java.io.IOException("cannot run gpg: No such file");
        };
        Decision d = one(update(ref), signed("G", SUBKEY.substring(24)).keys(broken), FAST_FORWARD);
        assertRefused(d, ref, "key not allowed");
        assertRefused(d, ref, "cannot run gpg");
    }

    @Test
    void gpgColonsAreReadForUsableSigningSubkeysOfTheListedKeysOnly() {
        String colons = String.join("\n",
                "tru::1:1700000000:0:3:1:5",
                "pub:u:255:22:89ABCDEF01234567:1700000000:::u:::cC:::::ed25519:::0:",
                "fpr:::::::::" + PRIMARY + ":",
                "uid:u::::1700000000::HASH::CI <ci@example.com>::::::::::0:",
                "sub:u:255:22:0000111122223333:1700000000::::::s:::::ed25519::",
                "fpr:::::::::" + SUBKEY + ":",
                "sub:r:255:22:9999888877776666:1700000000::::::s:::::ed25519::",
                "fpr:::::::::11112222333344445555666677778888" + "99998888:",
                "sub:u:255:18:4444555566667777:1700000000::::::e:::::cv25519::",
                "fpr:::::::::2222333344445555666677778888999944445555:",
                "pub:u:255:22:1234123412341234:1700000000:::u:::scSC:::::ed25519:::0:",
                "fpr:::::::::5555666677778888999900001111222233334444:",
                "sub:u:255:22:aaaabbbbccccdddd:1700000000::::::s:::::ed25519::",
                "fpr:::::::::9999AAAABBBBCCCCDDDDEEEEFFFF000011112222:",
                "");
        Map<String, List<String>> subs = SigningKeys.Gpg.parse(colons, List.of("0123 4567 89AB CDEF 0123  4567 89AB CDEF 0123 4567"));
        assertEquals(Map.of("0123 4567 89AB CDEF 0123  4567 89AB CDEF 0123 4567", List.of(SUBKEY)), subs,
                "only the listed key's usable signing subkey: not the revoked one, not the encryption one, not"
                        + " another key's");
    }

    @Test
    void shortKeyIdsDoNotMatchByPrefixOrSuffix() {
        String ref = "refs/heads/signed";
        // a few hex digits that happen to end the allowed fingerprint are not that key
        for (String key : List.of("7", "4567", "01234567", "9ABCDEF01234567")) {
            assertRefused(one(update(ref), signed("G", key), FAST_FORWARD), ref, "key not allowed");
        }
    }

    @Test
    void unsignedPushIsRefusedOnASignedRule() {
        assertRefused(one(update("refs/heads/signed"), push(), FAST_FORWARD), "refs/heads/signed",
                "not a signed push");
    }

    @Test
    void signedPushIsNoProofWhereTheRuleDoesNotAcceptIt() {
        assertRefused(one(update(MAIN), signed("G", "89ABCDEF01234567"), FAST_FORWARD), MAIN, "no pipeline proof");
    }

    // ---- fail closed ----

    @Test
    void withoutPolicyEveryRefIsRefused() {
        for (String ref : List.of(MAIN, "refs/heads/feature/x", "refs/tags/anything", "refs/notes/commits")) {
            Decision d = one(failClosedGate(), update(ref), push().token(pipelineToken(REPO, ref, NEW))
                    .env("GL_USERNAME", "ci-bot"), FAST_FORWARD);
            assertRefused(d, PushGate.RULE_FAIL_CLOSED,
                    "no usable policy (gate-policy.yaml:3:1: broken), so every ref is protected");
            assertEquals(PushGate.FAIL_CLOSED_HOW, d.howToLand());
        }
    }

    @Test
    void withoutPolicyCreationAndDeletionAreRefused() {
        assertRefused(one(failClosedGate(), new RefUpdate(ZERO, NEW, "refs/heads/new"), push(), FAST_FORWARD),
                PushGate.RULE_FAIL_CLOSED, "no usable policy");
        assertRefused(one(failClosedGate(), new RefUpdate(OLD, ZERO, "refs/heads/old"), push(), FAST_FORWARD),
                PushGate.RULE_FAIL_CLOSED, "no usable policy");
    }

    // ---- break-glass ----

    @Test
    void breakGlassWorksWhenThePolicyIsBroken() {
        Decision d = one(failClosedGate(), update(MAIN), push().breakGlass(breakGlassToken(REPO, "refs/**", false)),
                FAST_FORWARD);
        assertTrue(d.allowed(), d::toString);
        assertEquals(EventType.PUSH_BREAK_GLASS, d.type());
        assertEquals(PushGate.RULE_FAIL_CLOSED, d.rule());
        assertEquals("break-glass:tok-bg-app", d.proof());
        assertTrue(d.reason().contains("prod is down, INC-42"), d.reason());
        assertTrue(d.reason().contains("by alice"), d.reason());
        assertNull(d.howToLand());
    }

    @Test
    void breakGlassOnAProtectedRefWithAPolicy() {
        Decision d = one(update(MAIN), push().breakGlass(breakGlassToken(REPO, "refs/heads/*", false)), FAST_FORWARD);
        assertTrue(d.allowed(), d::toString);
        assertEquals(EventType.PUSH_BREAK_GLASS, d.type());
        assertEquals(MAIN, d.rule());
    }

    @Test
    void breakGlassForAnyRepository() {
        Decision d = one(update(MAIN), push().breakGlass(breakGlassToken("*", "refs/**", false)), FAST_FORWARD);
        assertEquals(EventType.PUSH_BREAK_GLASS, d.type());
        assertTrue(d.allowed());
    }

    @Test
    void breakGlassDoesNotAllowRewritesUnlessMintedWithForce() {
        String token = breakGlassToken(REPO, "refs/**", false);
        assertRefused(one(update(MAIN), push().breakGlass(token), REWRITE), MAIN,
                "does not allow a non-fast-forward update");
        assertRefused(one(new RefUpdate(OLD, ZERO, MAIN), push().breakGlass(token), FAST_FORWARD), MAIN,
                "does not allow deletion");
        assertRefused(one(failClosedGate(), new RefUpdate(OLD, ZERO, MAIN), push().breakGlass(token), FAST_FORWARD),
                PushGate.RULE_FAIL_CLOSED, "does not allow deletion");
    }

    @Test
    void breakGlassWithForceAllowsRewrites() {
        String token = breakGlassToken(REPO, "refs/**", true);
        Decision force = one(update(MAIN), push().breakGlass(token), REWRITE);
        assertEquals(EventType.PUSH_BREAK_GLASS, force.type());
        assertTrue(force.allowed());
        Decision delete = one(failClosedGate(), new RefUpdate(OLD, ZERO, MAIN), push().breakGlass(token), REWRITE);
        assertEquals(EventType.PUSH_BREAK_GLASS, delete.type());
        assertTrue(delete.allowed());
    }

    @Test
    void breakGlassForAnotherRepositoryIsRefused() {
        Decision d = one(failClosedGate(), update(MAIN), push().breakGlass(breakGlassToken("other", "refs/**", true)),
                FAST_FORWARD);
        assertRefused(d, PushGate.RULE_FAIL_CLOSED, "break-glass token refused: token tok-bg-other is for "
                + "repository 'other'");
        Decision p = one(update(MAIN), push().breakGlass(breakGlassToken("other", "refs/**", true)), FAST_FORWARD);
        assertRefused(p, MAIN, "break-glass token refused");
    }

    @Test
    void breakGlassCoversOnlyItsRefPattern() {
        String token = breakGlassToken(REPO, "refs/heads/hotfix/*", false);
        assertRefused(one(update(MAIN), push().breakGlass(token), FAST_FORWARD), MAIN, "no pipeline proof");
        Decision hotfix = one(failClosedGate(), update("refs/heads/hotfix/1"), push().breakGlass(token), FAST_FORWARD);
        assertEquals(EventType.PUSH_BREAK_GLASS, hotfix.type());
    }

    @Test
    void breakGlassSignedWithThePipelineSecretIsRefused() {
        String token = breakGlassToken(REPO, "refs/**", true, PIPELINE, TokenClaims.Kind.BREAK_GLASS);
        assertRefused(one(failClosedGate(), update(MAIN), push().breakGlass(token), FAST_FORWARD),
                PushGate.RULE_FAIL_CLOSED, "break-glass token refused: bad signature");
    }

    @Test
    void pipelineTokenPresentedAsBreakGlassIsRefused() {
        String token = breakGlassToken(REPO, MAIN, true, BREAK_GLASS, TokenClaims.Kind.PIPELINE);
        assertRefused(one(failClosedGate(), update(MAIN), push().breakGlass(token), FAST_FORWARD),
                PushGate.RULE_FAIL_CLOSED, "a pipeline token cannot be used as a break-glass token");
    }

    @Test
    void breakGlassWithoutServerSecretIsRefused() {
        PushGate noSecret = new PushGate(new PushGate.Settings(null, "missing", REPO, Optional.empty(), null,
                Optional.empty(), CLOCK));
        assertRefused(one(noSecret, update(MAIN), push().breakGlass(breakGlassToken(REPO, "refs/**", true)),
                FAST_FORWARD), PushGate.RULE_FAIL_CLOSED, "no break-glass secret is configured on the server");
    }

    @Test
    void breakGlassCannotOverrideAnUnreadableHistory() {
        Decision d = one(update(MAIN), push().breakGlass(breakGlassToken(REPO, "refs/**", true)), (o, n) -> {
            throw new IOException("missing object");
        });
        assertRefused(d, MAIN, "cannot read the pushed objects");
    }

    @Test
    void breakGlassOnAnUnprotectedRefIsAnOrdinaryAllowedPush() {
        Decision d = one(update("refs/heads/feature/x"), push().breakGlass(breakGlassToken(REPO, "refs/**", false)),
                FAST_FORWARD);
        assertAllowed(d, PushGate.RULE_UNPROTECTED, "none");
    }

    // ---- whole pushes ----

    @Test
    void everyUpdateGetsItsOwnDecisionInOrder() throws Exception {
        String token = pipelineToken(REPO, MAIN, NEW);
        List<RefUpdate> updates = List.of(update("refs/heads/feature/x"), update(MAIN), update("refs/heads/signed"),
                new RefUpdate(OLD, ZERO, "refs/heads/rewrite"));
        List<Decision> d = gate().decide(updates, push().token(token).creds(policy.identity().pusherEnv()),
                FAST_FORWARD);
        assertEquals(4, d.size());
        for (int i = 0; i < updates.size(); i++) {
            assertEquals(updates.get(i), d.get(i).update());
        }
        assertAllowed(d.get(0), PushGate.RULE_UNPROTECTED, "none");
        assertAllowed(d.get(1), MAIN, "token:" + tokenId(token));
        assertRefused(d.get(2), "refs/heads/signed", "not a signed push");
        assertRefused(d.get(3), "refs/heads/rewrite", "is for refs/heads/main");
    }

    @Test
    void refusedWithSiblingsKeepsTheOriginalReason() {
        Decision allowed = one(update("refs/heads/feature/x"), push(), FAST_FORWARD);
        Decision refused = allowed.refusedWithSiblings();
        assertFalse(refused.allowed());
        assertEquals(EventType.PUSH_REFUSED, refused.type());
        assertEquals(PushGate.RULE_UNPROTECTED, refused.rule());
        assertTrue(refused.reason().startsWith("another ref in the same push was refused"), refused.reason());
        assertTrue(refused.reason().endsWith("not a protected ref"), refused.reason());
    }
    // ---- symbolic refs: judged by the ref git writes ----

    /** Symbolic refs as a map from name to target, for the rules alone (SymbolicRefsTest checks reading them). */
    private static SymbolicRefs aliases(Map<String, String> links) {
        return new SymbolicRefs() {
            @Override
            Target read(String name) {
                String t = links.get(name);
                return t == null ? Target.notSymbolic() : t.isEmpty() ? Target.broken("unreadable")
                        : Target.symbolic(t);
            }
        };
    }

    private static Decision through(Map<String, String> links, RefUpdate u, Push p) {
        List<Decision> d = gate().decide(List.of(u), p.creds(), FAST_FORWARD, aliases(links));
        assertEquals(u, d.get(0).update());
        return d.get(0);
    }

    private static final Map<String, String> MASTER_IS_MAIN = Map.of("refs/heads/master", MAIN);

    @Test
    void anAliasOfAProtectedRefIsProtectedAsItsTarget() {
        Decision d = through(MASTER_IS_MAIN, update("refs/heads/master"), push());
        assertRefused(d, MAIN, "no pipeline proof");
        assertEquals(MAIN, d.ref());
        assertEquals("refs/heads/master", d.via());
        assertTrue(d.reason().contains("through the symbolic ref refs/heads/master"), d.reason());
        assertRefused(through(MASTER_IS_MAIN, new RefUpdate(OLD, ZERO, "refs/heads/master"), push()), MAIN,
                "deleting a protected ref is refused");
    }

    @Test
    void aTokenForTheTargetIsProofThroughTheAliasAndATokenForTheAliasIsNot() throws Exception {
        String forMain = pipelineToken(REPO, MAIN, NEW);
        Decision ok = through(MASTER_IS_MAIN, update("refs/heads/master"), push().token(forMain));
        assertAllowed(ok, MAIN, "token:" + tokenId(forMain));
        assertEquals(MAIN, ok.ref());

        Decision d = through(MASTER_IS_MAIN, update("refs/heads/master"),
                push().token(pipelineToken(REPO, "refs/heads/master", NEW)));
        assertRefused(d, MAIN, "is for refs/heads/master, not refs/heads/main (refs/heads/master is a symbolic ref"
                + " to refs/heads/main: mint the token for refs/heads/main)");
    }

    @Test
    void aProtectedNameThatPointsAtAnUnprotectedRefStaysProtected() {
        Decision d = through(Map.of("refs/heads/bot/x", "refs/heads/scratch"), update("refs/heads/bot/x"), push());
        assertRefused(d, "refs/heads/bot/*", "no authenticated pusher");
        assertEquals("refs/heads/scratch", d.ref());
        assertAllowed(through(Map.of("refs/heads/a", "refs/heads/b"), update("refs/heads/a"), push()),
                PushGate.RULE_UNPROTECTED, "none");
    }

    @Test
    void anUnresolvableChainIsRefusedEvenWithBreakGlass() {
        Decision d = through(Map.of("refs/heads/x", "refs/heads/y", "refs/heads/y", "refs/heads/x"),
                update("refs/heads/x"), push().breakGlass(breakGlassToken(REPO, "refs/**", true)));
        assertFalse(d.allowed());
        assertEquals(PushGate.RULE_UNRESOLVABLE, d.rule());
        assertTrue(d.reason().contains("form a loop"), d.reason());
        assertEquals(PushGate.UNRESOLVABLE_HOW, d.howToLand());
        assertEquals(PushGate.RULE_UNRESOLVABLE, through(Map.of("refs/heads/z", ""), update("refs/heads/z"), push())
                .rule());
    }

    @Test
    void aThousandJunkTokensMakeOneReasonNotAThousand() {
        Push p = push().token(pipelineToken("other", MAIN, NEW));
        for (int i = 0; i < 999; i++) { // git's push options are read up to 1,000
            p.token("gk1.junk" + i + "." + "x".repeat(60));
        }
        Decision d = one(update(MAIN), p, FAST_FORWARD);
        assertRefused(d, MAIN, "pipeline token refused: bad signature (wrong secret, or the token was altered) (x999)");
        assertTrue(d.reason().contains("is for repository 'other', not 'app'"), d.reason());
        assertTrue(d.reason().length() < 1000, d.reason().length() + ": " + d.reason());
    }
}
