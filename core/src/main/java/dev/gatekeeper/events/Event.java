package dev.gatekeeper.events;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One audited fact: a gate decision, a verification, a probe, a revert, a drift finding. Every capability writes
 * the same shape so one timeline shows them all. Fields that do not apply are null.
 *
 * @param type     dotted name, {@link EventType#wire()}: {@code push.refused}, {@code push.allowed}, … (the text as
 *                 read: a log may hold types of a newer version)
 * @param proof    how the pusher proved to be the pipeline: {@code pusher:ci-bot}, {@code token:tok-…},
 *                 {@code signed-push:KEY}, {@code break-glass:tok-…} or {@code none}
 * @param decision {@code allowed} or {@code refused} for gate events; a verdict for others
 * @param details  extra fields for the capability that wrote it
 */
public record Event(
        String id,
        Instant time,
        String type,
        String repository,
        String ref,
        String oldId,
        String newId,
        String pusher,
        String proof,
        String decision,
        String rule,
        String reason,
        Map<String, String> details) {

    /**
     * The pusher of the synthetic updates an install's self-test feeds the gate (it is no pipeline identity and no
     * person): such events prove the gate runs; they are no push, so counters and incidents leave them out.
     */
    public static final String SELF_TEST_PUSHER = "gatekeeper-self-test";

    public Event {
        details = details == null ? Map.of() : Map.copyOf(new TreeMap<>(details));
    }

    /** Whether this event is the self-test's synthetic update rather than a push. */
    public boolean selfTest() {
        return SELF_TEST_PUSHER.equals(pusher);
    }

    /** Starts an event of {@code type} with a fresh id and the current time. */
    public static Builder of(EventType type) {
        return new Builder(type.wire());
    }

    /** Whether this event is of {@code t} (false for a type this version does not know). */
    public boolean is(EventType t) {
        return t.is(this);
    }

    /** Fluent builder, so call sites name the fields they set. */
    public static final class Builder {
        private final String type;
        private String id = EventIds.next();
        private Instant time = Instant.now();
        private String repository;
        private String ref;
        private String oldId;
        private String newId;
        private String pusher;
        private String proof;
        private String decision;
        private String rule;
        private String reason;
        private final Map<String, String> details = new TreeMap<>();

        private Builder(String type) {
            this.type = type;
        }

        public Builder id(String v) { this.id = v; return this; }
        public Builder time(Instant v) { this.time = v; return this; }
        public Builder repository(String v) { this.repository = v; return this; }
        public Builder ref(String v) { this.ref = v; return this; }
        public Builder oldId(String v) { this.oldId = v; return this; }
        public Builder newId(String v) { this.newId = v; return this; }
        public Builder pusher(String v) { this.pusher = v; return this; }
        public Builder proof(String v) { this.proof = v; return this; }
        public Builder decision(String v) { this.decision = v; return this; }
        public Builder rule(String v) { this.rule = v; return this; }
        public Builder reason(String v) { this.reason = v; return this; }
        public Builder detail(String k, String v) { if (v != null) { details.put(k, v); } return this; }

        public String id() { return id; }

        public Event build() {
            return new Event(id, time, type, repository, ref, oldId, newId, pusher, proof, decision, rule, reason,
                    details);
        }
    }
}
