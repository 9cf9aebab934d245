package dev.gatekeeper.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VerifyPushCommandTest {
    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);
    private static final Backoff FAST = new Backoff(Duration.ofMillis(20), Duration.ofMillis(80));

    /** Answers from a script: a tip, null for "no branch", or a RemoteReadException; the last answer repeats. */
    static final class ScriptedReader implements RefReader {
        private final Deque<Object> answers = new ArrayDeque<>();
        int reads;
        Boolean contains;
        long delayMillis;

        ScriptedReader(Object... answers) {
            this.answers.addAll(List.of(answers));
        }

        @Override
        public Optional<String> tip(String ref) throws RemoteReadException {
            reads++;
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    throw new RemoteReadException(RemoteReadException.Kind.TIMED_OUT, "interrupted");
                }
            }
            Object a = answers.size() > 1 ? answers.poll() : answers.peek();
            if (a instanceof RemoteReadException e) {
                throw e;
            }
            return Optional.ofNullable((String) (a == NONE ? null : a));
        }

        @Override
        public boolean contains(String tip, String commit) {
            return contains != null && contains;
        }

        @Override
        public String kind() {
            return "test";
        }

        @Override
        public String describe() {
            return "scripted";
        }

        @Override
        public void close() {}
    }

    private static final Object NONE = new Object();

    private static Verification verify(RefReader reader, Expectation e, Duration timeout) throws Exception {
        return new VerifyPushCommand().setReader(reader).setRef("refs/heads/main").setExpectation(e)
                .setTimeout(timeout).setBackoff(FAST).call();
    }

    private static RemoteReadException failure(RemoteReadException.Kind kind) {
        return new RemoteReadException(kind, kind.name().toLowerCase());
    }

    @Test
    void verifiedAtOnceWhenTheTipMatches() throws Exception {
        Verification v = verify(new ScriptedReader(A), Expectation.exact(A), Duration.ofSeconds(5));
        assertEquals(Verdict.VERIFIED, v.verdict());
        assertEquals(1, v.verifyAttempts());
        assertEquals(A, v.after());
    }

    @Test
    void eventualConsistencyIsWaitedFor() throws Exception {
        ScriptedReader r = new ScriptedReader(B, B, B, A);
        Verification v = verify(r, Expectation.exact(A), Duration.ofSeconds(5));
        assertEquals(Verdict.VERIFIED, v.verdict());
        assertEquals(4, v.verifyAttempts());
        // capped exponential backoff: 20, 40, 80 ms between the reads
        long gap3 = v.attempts().get(3).atMillis() - v.attempts().get(2).atMillis();
        assertTrue(gap3 >= 75, "third wait " + gap3);
    }

    @Test
    void aTipThatNeverMatchesIsNotVerifiedAtTheDeadline() throws Exception {
        long start = System.nanoTime();
        Verification v = verify(new ScriptedReader(B), Expectation.exact(A), Duration.ofMillis(600));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Verdict.NOT_VERIFIED, v.verdict());
        assertTrue(v.reason().contains("not " + A.substring(0, 12)), v.reason());
        assertTrue(ms >= 500 && ms < 3000, "took " + ms);
        assertTrue(v.verifyAttempts() > 3);
    }

    @Test
    void aMissingBranchIsNotVerified() throws Exception {
        Verification v = verify(new ScriptedReader(NONE), Expectation.exact(A), Duration.ofMillis(200));
        assertEquals(Verdict.NOT_VERIFIED, v.verdict());
        assertTrue(v.reason().contains("does not exist"), v.reason());
    }

    @Test
    void anUnreachableRemoteIsInconclusiveNeverNotVerified() throws Exception {
        Verification v = verify(new ScriptedReader(failure(RemoteReadException.Kind.UNREACHABLE)),
                Expectation.exact(A), Duration.ofMillis(400));
        assertEquals(Verdict.INCONCLUSIVE, v.verdict());
        assertTrue(v.verifyAttempts() > 1, "unreachable is retried");
    }

    @Test
    void theLastReadDecides() throws Exception {
        // a wrong tip first, then the remote goes away: we cannot say the push is missing
        Verification v = verify(new ScriptedReader(B, B, failure(RemoteReadException.Kind.UNREACHABLE)),
                Expectation.exact(A), Duration.ofMillis(500));
        assertEquals(Verdict.INCONCLUSIVE, v.verdict());
        // and a failure followed by the right tip is verified
        v = verify(new ScriptedReader(failure(RemoteReadException.Kind.UNREACHABLE), A), Expectation.exact(A),
                Duration.ofSeconds(5));
        assertEquals(Verdict.VERIFIED, v.verdict());
    }

    @Test
    void authenticationFailureIsNotRetried() throws Exception {
        ScriptedReader r = new ScriptedReader(failure(RemoteReadException.Kind.AUTH_FAILED));
        Verification v = verify(r, Expectation.exact(A), Duration.ofSeconds(5));
        assertEquals(Verdict.INCONCLUSIVE, v.verdict());
        assertEquals(1, r.reads);
    }

    @Test
    void aRateLimitWithinTheDeadlineIsWaitedOut() throws Exception {
        Instant reset = Instant.now().plusMillis(400);
        ScriptedReader r = new ScriptedReader(new RemoteReadException(RemoteReadException.Kind.RATE_LIMITED,
                "rate limited", reset, null), A);
        Verification v = verify(r, Expectation.exact(A), Duration.ofSeconds(5));
        assertEquals(Verdict.VERIFIED, v.verdict());
        assertTrue(v.attempts().get(1).atMillis() >= 350, "waited until the reset: " + v.attempts());
    }

    @Test
    void aRateLimitBeyondTheDeadlineIsInconclusiveAtOnce() throws Exception {
        ScriptedReader r = new ScriptedReader(new RemoteReadException(RemoteReadException.Kind.RATE_LIMITED,
                "rate limited", Instant.now().plusSeconds(3600), null), A);
        long start = System.nanoTime();
        Verification v = verify(r, Expectation.exact(A), Duration.ofSeconds(5));
        assertEquals(Verdict.INCONCLUSIVE, v.verdict());
        assertTrue(v.reason().contains("after the deadline"), v.reason());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos());
        assertEquals(1, r.reads);
    }

    @Test
    void aHangingReadIsAbandonedAtTheDeadline() throws Exception {
        ScriptedReader r = new ScriptedReader(A);
        r.delayMillis = 60_000;
        long start = System.nanoTime();
        Verification v = verify(r, Expectation.exact(A), Duration.ofMillis(700));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Verdict.INCONCLUSIVE, v.verdict());
        assertTrue(v.reason().contains("no answer within"), v.reason());
        assertTrue(ms < 3000, "took " + ms);
    }

    @Test
    void containsAndSince() throws Exception {
        ScriptedReader r = new ScriptedReader(B);
        r.contains = true;
        assertEquals(Verdict.VERIFIED, verify(r, Expectation.contains(A), Duration.ofSeconds(1)).verdict());
        r.contains = false;
        Verification v = verify(r, Expectation.contains(A), Duration.ofMillis(200));
        assertEquals(Verdict.NOT_VERIFIED, v.verdict());
        assertTrue(v.reason().contains("does not contain"), v.reason());

        assertEquals(Verdict.VERIFIED, verify(new ScriptedReader(B), Expectation.movedFrom(A), Duration.ofSeconds(1))
                .verdict());
        v = verify(new ScriptedReader(A), Expectation.movedFrom(A), Duration.ofMillis(200));
        assertEquals(Verdict.NOT_VERIFIED, v.verdict());
        assertTrue(v.reason().contains("did not move"), v.reason());
        assertEquals(A, v.before());
    }

    @Test
    void wrapModeCatchesAnAgentThatPushedNothing() throws Exception {
        ScriptedReader r = new ScriptedReader(A);
        Verification v = new VerifyPushCommand().setReader(r).setRef("refs/heads/main")
                .setExpectation(new Expectation(null, false, false, null)).setTimeout(Duration.ofMillis(300))
                .setBackoff(FAST).setAgent(new AgentCommand(List.of("true"))).setHead(() -> Optional.of(B)).call();
        assertEquals(Verdict.NOT_VERIFIED, v.verdict());
        assertTrue(v.reason().startsWith("agent command succeeded but nothing was pushed to refs/heads/main"),
                v.reason());
        assertEquals(A, v.before());
        assertEquals(0, v.agent().exitCode());
    }

    @Test
    void wrapModeVerifiesAMoveToHead() throws Exception {
        ScriptedReader r = new ScriptedReader(A, B);
        Verification v = new VerifyPushCommand().setReader(r).setRef("refs/heads/main")
                .setExpectation(new Expectation(null, false, false, null)).setTimeout(Duration.ofSeconds(2))
                .setBackoff(FAST).setAgent(new AgentCommand(List.of("true"))).setHead(() -> Optional.of(B)).call();
        assertEquals(Verdict.VERIFIED, v.verdict(), v.reason());
        assertEquals(A, v.before());
        assertEquals(B, v.after());
    }

    @Test
    void wrapModeReportsAFailedAgent() throws Exception {
        ScriptedReader r = new ScriptedReader(A);
        Verification v = new VerifyPushCommand().setReader(r).setRef("refs/heads/main")
                .setExpectation(new Expectation(null, false, false, null)).setTimeout(Duration.ofSeconds(2))
                .setBackoff(FAST).setAgent(new AgentCommand(List.of("sh", "-c", "exit 5")))
                .setHead(() -> Optional.of(B)).call();
        assertEquals(Verdict.NOT_VERIFIED, v.verdict());
        assertEquals("agent command failed (exit 5)", v.reason());
        assertNull(v.after());
    }

    @Test
    void wrapModeWithoutABaselineIsInconclusiveEvenIfHeadIsThere() throws Exception {
        ScriptedReader r = new ScriptedReader(failure(RemoteReadException.Kind.UNREACHABLE), B);
        r.answers.clear();
        r.answers.addAll(List.of(failure(RemoteReadException.Kind.UNREACHABLE),
                failure(RemoteReadException.Kind.AUTH_FAILED), B));
        Verification v = new VerifyPushCommand().setReader(r).setRef("refs/heads/main")
                .setExpectation(new Expectation(null, false, false, null)).setTimeout(Duration.ofSeconds(2))
                .setBackoff(FAST).setAgent(new AgentCommand(List.of("true"))).setHead(() -> Optional.of(B)).call();
        assertEquals(Verdict.INCONCLUSIVE, v.verdict());
        assertTrue(v.reason().contains("whether this run pushed it is unknown"), v.reason());
    }

    @Test
    void backoffDoublesUpToTheCap() {
        Backoff b = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(5));
        assertEquals(250, b.delay(1).toMillis());
        assertEquals(500, b.delay(2).toMillis());
        assertEquals(4000, b.delay(5).toMillis());
        assertEquals(5000, b.delay(6).toMillis());
        assertEquals(5000, b.delay(60).toMillis());
    }
}
