package dev.gatekeeper.gate;

import dev.gatekeeper.events.EventType;
import dev.gatekeeper.events.AuditTrail;
import dev.gatekeeper.events.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one push writes to the audit trail, bounded so that no pusher can flush it (the flood: 1,000 refs
 * with 1,000 junk tokens wrote 57 MB in one push, events of up to 67 KB, and rotated away all history).
 *
 * <p>The rules, with the numbers that justify them:
 * <ul>
 *   <li>Updates that go to the ledger (allowed or landed updates of protected refs, break-glass uses) are each an
 *       event, always: drift needs every tip, and only a push with credentials can make them.</li>
 *   <li>Of the others (refusals, unprotected refs), at most {@link #MAX_EVENTS} per push are events of their own,
 *       refusals first; the rest are counted in one {@code push.summary} event that names the first
 *       {@link #MAX_LISTED} of them. Pushes of more than 100 refs are rare (a mirror, a tag import); one event per
 *       push beyond that keeps the useful detail.</li>
 *   <li>Every field is capped: reason 1,024 characters, ref 1,024 (refs in the ledger are kept whole), pusher and
 *       proof 256, other details 512. An event is then at most ~4 KB (typically 400 bytes), so one push writes at
 *       most ~400 KB and typically 40 KB to the ordinary or security log: the default 10 MB x 6 files hold at
 *       least 150 worst-case pushes, and a flood rotates only its own kind of events.</li>
 * </ul>
 */
final class PushAudit {
    static final int MAX_EVENTS = 100;
    static final int MAX_LISTED = 20;
    static final int MAX_REASON = 1024;
    static final int MAX_REF = 1024;
    static final int MAX_SHORT = 256;
    static final int MAX_DETAIL = 512;

    private PushAudit() {}

    /**
     * The events of one push and, per update, the id of the event that records it (its own, or the summary's).
     */
    record Planned(List<Event> events, List<String> idPerUpdate, String summaryId) {}

    /** What the gate decided, as events. */
    static Planned decisions(GateEnvironment ge, List<Decision> decisions, String pusher, PushCredentials creds,
                             int pushOptions) {
        String repository = ge.repositoryName();
        List<Event> all = new ArrayList<>(decisions.size());
        for (Decision d : decisions) {
            Event.Builder b = Event.of(d.type()).repository(repository).ref(d.ref())
                    .oldId(d.update().oldId()).newId(d.update().newId()).pusher(cap(pusher, MAX_SHORT))
                    .proof(cap(d.proof(), MAX_SHORT)).decision(d.allowed() ? "allowed" : "refused").rule(d.rule())
                    .reason(cap(d.reason(), MAX_REASON)).detail("policy", cap(ge.policySource(), MAX_DETAIL))
                    .detail("via", cap(d.via(), MAX_DETAIL));
            all.add(b.build());
        }
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("push_options", Integer.toString(pushOptions));
        extra.put("pipeline_tokens", Integer.toString(creds.pipelineTokens().size()));
        extra.put("break_glass_tokens", Integer.toString(creds.breakGlassTokens().size()));
        boolean refused = decisions.stream().anyMatch(d -> !d.allowed());
        return bound(repository, ge.policySource(), all, pusher, refused ? "refused" : "allowed", extra);
    }

    /** What git updated, as {@code push.landed} events. */
    static Planned landed(String repository, String policySource, List<Event> landed, String pusher) {
        return bound(repository, policySource, landed, pusher, "landed", Map.of());
    }

    /**
     * Keeps every ledger event, the first {@link #MAX_EVENTS} others (refusals of their own first) and one summary
     * of the rest. Events are written in push order.
     */
    private static Planned bound(String repository, String policySource, List<Event> all, String pusher,
                                 String decision, Map<String, String> extra) {
        List<Integer> order = new ArrayList<>();
        for (int pass = 0; pass < 3; pass++) {
            for (int i = 0; i < all.size(); i++) {
                if (priority(all.get(i)) == pass) {
                    order.add(i);
                }
            }
        }
        boolean[] keep = new boolean[all.size()];
        int budget = MAX_EVENTS;
        for (int i : order) {
            Event e = all.get(i);
            if (AuditTrail.retentionOf(e) == AuditTrail.Retention.LEDGER) {
                keep[i] = true;
            } else if (budget > 0) {
                keep[i] = true;
                budget--;
            }
        }
        List<Event> events = new ArrayList<>();
        List<Event> summarised = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Event e = all.get(i);
            if (keep[i]) {
                events.add(AuditTrail.retentionOf(e) == AuditTrail.Retention.LEDGER ? e : withRef(e, cap(e.ref(),
                        MAX_REF)));
            } else {
                summarised.add(e);
            }
        }
        String summaryId = null;
        if (!summarised.isEmpty()) {
            Event s = summary(repository, policySource, all.size(), summarised, pusher, decision, extra);
            summaryId = s.id();
            events.add(s);
        }
        List<String> ids = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            ids.add(keep[i] ? all.get(i).id() : summaryId);
        }
        return new Planned(events, ids, summaryId);
    }

    /** 0: refused for its own reason; 1: refused with its siblings; 2: anything else. */
    private static int priority(Event e) {
        if (!"refused".equals(e.decision())) {
            return 2;
        }
        return e.reason() != null && e.reason().startsWith("another ref in the same push") ? 1 : 0;
    }

    private static Event summary(String repository, String policySource, int total, List<Event> rest,
                                 String pusher, String decision, Map<String, String> extra) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, Integer> reasons = new LinkedHashMap<>();
        List<String> listed = new ArrayList<>();
        for (Event e : rest) {
            counts.merge(e.type() + " (" + e.rule() + ")", 1, Integer::sum);
            if (e.reason() != null) {
                reasons.merge(cap(e.reason(), MAX_SHORT), 1, Integer::sum);
            }
            if (listed.size() < MAX_LISTED) {
                listed.add(cap(e.ref(), MAX_SHORT));
            }
        }
        StringBuilder why = new StringBuilder().append(total).append(" ref updates in one push; ")
                .append(total - rest.size()).append(" recorded one by one, ").append(rest.size())
                .append(" summarised here: ");
        List<String> c = new ArrayList<>();
        counts.forEach((k, v) -> c.add(v + " " + k));
        why.append(String.join(", ", c));
        Event.Builder b = Event.of(EventType.PUSH_SUMMARY).repository(repository).pusher(cap(pusher, MAX_SHORT))
                .decision(decision).reason(cap(why.toString(), MAX_REASON))
                .detail("refs", Integer.toString(total)).detail("summarised", Integer.toString(rest.size()))
                .detail("summarised_refs", cap(String.join(" ", listed)
                        + (rest.size() > listed.size() ? " …" : ""), 4 * MAX_DETAIL))
                .detail("policy", cap(policySource, MAX_DETAIL));
        int n = 0;
        for (Map.Entry<String, Integer> r : reasons.entrySet()) {
            if (n++ == 3) {
                break;
            }
            b.detail("reason_" + n, r.getValue() + " x " + r.getKey());
        }
        extra.forEach(b::detail);
        return b.build();
    }

    private static Event withRef(Event e, String ref) {
        if (ref == null || ref.equals(e.ref())) {
            return e;
        }
        return new Event(e.id(), e.time(), e.type(), e.repository(), ref, e.oldId(), e.newId(), e.pusher(),
                e.proof(), e.decision(), e.rule(), e.reason(), e.details());
    }

    /** {@code s} cut to {@code max} characters, with a mark that it was cut; null stays null. */
    static String cap(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        String more = "… (+" + (s.length() - max) + " chars)";
        return s.substring(0, Math.max(0, max - more.length())) + more;
    }
}
