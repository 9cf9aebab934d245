package dev.gatekeeper.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Assertions on what a pusher sees: git's own verdict and the gate's "remote:" lines. */
final class Pushes {
    private static final Pattern REFUSED_EVENT = Pattern.compile("remote: gatekeeper:\\s+event: (ev-[A-Za-z0-9_-]+)");
    private static final Pattern ACCEPTED_EVENT = Pattern.compile("\\[event (ev-[A-Za-z0-9_-]+)\\]");

    private Pushes() {}

    static void assertContains(Proc.Result r, String expected) {
        assertTrue(r.output().contains(expected), "expected the output to contain \"" + expected + "\"\n"
                + r.describe());
    }

    static void assertNotContains(Proc.Result r, String unexpected) {
        assertTrue(!r.output().contains(unexpected), "expected the output NOT to contain \"" + unexpected + "\"\n"
                + r.describe());
    }

    /**
     * The push failed, git says the pre-receive hook declined it, and the gate's refusal of {@code ref} under
     * {@code rule} reached the pusher with an event id.
     *
     * @return the event id the pusher was given
     */
    static String assertRefusedByGate(Proc.Result r, String ref, String rule) {
        r.expectFailure();
        assertContains(r, "pre-receive hook declined");
        assertContains(r, "remote: gatekeeper: REFUSED " + ref + " (rule: " + rule + ")");
        Matcher m = REFUSED_EVENT.matcher(r.stderr());
        assertTrue(m.find(), "the refusal should name its audit event\n" + r.describe());
        return m.group(1);
    }

    /** The push succeeded and the gate said which proof it accepted; returns the event id. */
    static String assertAcceptedByGate(Proc.Result r, String ref, String proofPrefix) {
        r.expectOk();
        assertContains(r, "remote: gatekeeper: accepted " + ref + " (" + proofPrefix);
        Matcher m = ACCEPTED_EVENT.matcher(r.stderr());
        assertTrue(m.find(), "the acceptance should name its audit event\n" + r.describe());
        return m.group(1);
    }
}
