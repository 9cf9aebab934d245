package dev.gatekeeper.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PushCredentialsTest {

    @Test
    void readsPusherTokensAndCertificate() {
        PushCredentials c = PushCredentials.from(Map.of(
                "GL_USERNAME", "  ci-bot ",
                "GIT_PUSH_OPTION_COUNT", "4",
                "GIT_PUSH_OPTION_0", "ci.skip",
                "GIT_PUSH_OPTION_1", "gatekeeper-token= gk1.a.b ",
                "GIT_PUSH_OPTION_2", "gatekeeper-break-glass=gk1.c.d",
                "GIT_PUSH_OPTION_3", "gatekeeper-token=gk1.e.f",
                "GIT_PUSH_CERT_STATUS", "G",
                "GIT_PUSH_CERT_KEY", "89ABCDEF01234567",
                "GIT_PUSH_CERT_SIGNER", "CI"), List.of("REMOTE_USER", "GL_USERNAME"));
        assertEquals(Optional.of("ci-bot"), c.pusher());
        assertEquals("GL_USERNAME", c.pusherSource());
        assertEquals(List.of("gk1.a.b", "gk1.e.f"), c.pipelineTokens());
        assertEquals(List.of("gk1.c.d"), c.breakGlassTokens());
        PushCredentials.SignedPush sp = c.signedPush().orElseThrow();
        assertEquals("89ABCDEF01234567", sp.key());
        assertTrue(sp.trusted());
    }

    @Test
    void optionsBeyondTheCountAreIgnored() {
        PushCredentials c = PushCredentials.from(Map.of("GIT_PUSH_OPTION_COUNT", "1",
                "GIT_PUSH_OPTION_1", "gatekeeper-token=gk1.a.b"), List.of());
        assertEquals(List.of(), c.pipelineTokens());
        PushCredentials none = PushCredentials.from(Map.of("GIT_PUSH_OPTION_COUNT", "lots",
                "GIT_PUSH_OPTION_0", "gatekeeper-token=gk1.a.b"), List.of());
        assertEquals(List.of(), none.pipelineTokens());
    }

    @Test
    void nothingGivenIsNothing() {
        PushCredentials c = PushCredentials.from(Map.of("GL_USERNAME", "  "), List.of("GL_USERNAME"));
        assertEquals(Optional.empty(), c.pusher());
        assertEquals(List.of(), c.pipelineTokens());
        assertEquals(List.of(), c.breakGlassTokens());
        assertEquals(Optional.empty(), c.signedPush());
    }

    @Test
    void signedPushTrust() {
        assertTrue(new PushCredentials.SignedPush("G", "K", "S", null).trusted());
        assertTrue(new PushCredentials.SignedPush("G", "K", "S", "OK").trusted());
        assertFalse(new PushCredentials.SignedPush("G", "K", "S", "SLOP").trusted());
        assertFalse(new PushCredentials.SignedPush("U", "K", "S", "OK").trusted());
        assertFalse(new PushCredentials.SignedPush("B", "K", "S", null).trusted());
    }
}
