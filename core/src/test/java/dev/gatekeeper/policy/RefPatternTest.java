package dev.gatekeeper.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RefPatternTest {

    @Test
    void exactRefMatchesOnlyItself() {
        RefPattern p = RefPattern.of("refs/heads/main");
        assertTrue(p.matches("refs/heads/main"));
        assertFalse(p.matches("refs/heads/main2"));
        assertFalse(p.matches("refs/heads/mainline"));
        assertFalse(p.matches("refs/heads/main/x"));
        assertFalse(p.matches("refs/heads/mai"));
        assertFalse(p.matches("refs/tags/main"));
        assertFalse(p.matches("xrefs/heads/main"));
    }

    @Test
    void singleStarStaysWithinOneSegment() {
        RefPattern p = RefPattern.of("refs/heads/release/*");
        assertTrue(p.matches("refs/heads/release/1.0"));
        assertTrue(p.matches("refs/heads/release/next"));
        assertFalse(p.matches("refs/heads/release/1.0/hotfix"));
        assertFalse(p.matches("refs/heads/release"));
        assertFalse(p.matches("refs/heads/releases/1.0"));
    }

    @Test
    void starInsideASegment() {
        RefPattern p = RefPattern.of("refs/heads/rel-*-lts");
        assertTrue(p.matches("refs/heads/rel-1-lts"));
        assertTrue(p.matches("refs/heads/rel--lts"));
        assertFalse(p.matches("refs/heads/rel-1/2-lts"));
        assertFalse(p.matches("refs/heads/rel-1-ltsx"));
    }

    @Test
    void doubleStarCrossesSegments() {
        RefPattern p = RefPattern.of("refs/heads/release/**");
        assertTrue(p.matches("refs/heads/release/1.0"));
        assertTrue(p.matches("refs/heads/release/1.0/hotfix"));
        assertTrue(p.matches("refs/heads/release/a/b/c"));
        assertFalse(p.matches("refs/heads/release"));
        assertFalse(p.matches("refs/heads/feature/release/1.0"));

        RefPattern all = RefPattern.of("refs/**");
        assertTrue(all.matches("refs/heads/main"));
        assertTrue(all.matches("refs/tags/v1"));
        assertTrue(all.matches("refs/notes/commits"));
    }

    @Test
    void questionMarkIsOneCharacterButNotASlash() {
        RefPattern p = RefPattern.of("refs/heads/v?");
        assertTrue(p.matches("refs/heads/v1"));
        assertTrue(p.matches("refs/heads/vX"));
        assertFalse(p.matches("refs/heads/v"));
        assertFalse(p.matches("refs/heads/v10"));
        assertFalse(p.matches("refs/heads/v/"));
    }

    @Test
    void tagPattern() {
        RefPattern p = RefPattern.of("refs/tags/v*");
        assertTrue(p.matches("refs/tags/v1.2.3"));
        assertTrue(p.matches("refs/tags/v"));
        assertFalse(p.matches("refs/tags/1.2.3"));
        assertFalse(p.matches("refs/tags/release-v1"));
        assertFalse(p.matches("refs/tags/v1/extra"));
        assertFalse(p.matches("refs/heads/v1"));
    }

    @Test
    void regexCharactersAreLiteral() {
        RefPattern p = RefPattern.of("refs/heads/a.b+c(d)[e]$");
        assertTrue(p.matches("refs/heads/a.b+c(d)[e]$"));
        assertFalse(p.matches("refs/heads/aXb+c(d)[e]$"));
        assertFalse(p.matches("refs/heads/abbc(d)[e]$"));
    }

    @Test
    void keepsItsGlob() {
        RefPattern p = RefPattern.of("refs/heads/release/**");
        assertEquals("refs/heads/release/**", p.glob());
        assertEquals("refs/heads/release/**", p.toString());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"heads/main", "main", "/refs/heads/main", "refs/heads/", "refs/heads/ main",
            "refs/heads/main ", "*", "**"})
    void invalidPatternsAreRejected(String glob) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RefPattern.of(glob));
        assertTrue(e.getMessage().contains("refs/"), e.getMessage());
    }
}
