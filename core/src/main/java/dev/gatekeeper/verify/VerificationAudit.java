package dev.gatekeeper.verify;

import dev.gatekeeper.events.Event;
import dev.gatekeeper.notify.Alert;
import java.util.Map;
import java.util.TreeMap;

/** The audit event every run writes and the alert a failed claim raises, in the shape the rest of Gatekeeper uses. */
public final class VerificationAudit {
    private VerificationAudit() {}

    /**
     * {@code push.verified}, {@code push.unverified} or {@code push.inconclusive}: old/new are the tips before and
     * after, decision the verdict.
     *
     * @param clone the working clone's path, or null
     */
    public static Event event(Verification v, String clone) {
        Event.Builder b = Event.of(v.verdict().eventType()).repository(v.remote()).ref(v.ref()).oldId(v.before())
                .newId(v.after()).decision(v.verdict().wire())
                .reason(v.reason() == null || v.reason().isEmpty() ? null : v.reason())
                .detail("expected", v.expectation().commit())
                .detail("mode", v.agent() != null ? "wrap" : v.expectation().mode())
                .detail("contains", Boolean.toString(v.expectation().contains()))
                .detail("reader", v.readerKind())
                .detail("attempts", Integer.toString(v.verifyAttempts()))
                .detail("elapsed_ms", Long.toString(v.elapsed().toMillis()))
                .detail("clone", clone);
        if (v.agent() != null) {
            b.detail("agent", v.agent().program()).detail("agent_exit", Integer.toString(v.agent().exitCode()));
        }
        return b.build();
    }

    /** Whether a run with this verdict raises an alert; inconclusive ones only when asked (a flaky network pages). */
    public static boolean alerts(Verdict verdict, boolean onInconclusive) {
        return verdict == Verdict.NOT_VERIFIED || (onInconclusive && verdict == Verdict.INCONCLUSIVE);
    }

    public static Alert alert(Verification v, String eventId) {
        boolean unverified = v.verdict() == Verdict.NOT_VERIFIED;
        String title = "gatekeeper: " + (unverified ? "push not verified" : "push verification inconclusive") + " on "
                + v.remote() + " " + v.ref();
        Map<String, String> fields = new TreeMap<>();
        fields.put("remote", v.remote());
        fields.put("ref", v.ref());
        fields.put("verdict", v.verdict().wire());
        put(fields, "expected", v.expectation().commit());
        put(fields, "before", v.before());
        put(fields, "after", v.after());
        if (v.agent() != null) {
            fields.put("agent", v.agent().program());
            fields.put("agent_exit", Integer.toString(v.agent().exitCode()));
        }
        return new Alert("warning", title, v.reason(), eventId, fields);
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
