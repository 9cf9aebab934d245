package dev.gatekeeper.events;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every type of event Gatekeeper writes, with its wire name in the logs ({@code push.refused}, …). The wire names
 * are a contract: dashboards, alert rules and old logs read them, so a name never changes. An event read from a log
 * may carry a type this version does not know (a newer writer): {@link Event#type()} stays the text, and
 * {@link #of(String)} is empty for it.
 */
public enum EventType implements dev.gatekeeper.outcome.Wire {
    // the push gate
    PUSH_ALLOWED("push.allowed"),
    PUSH_REFUSED("push.refused"),
    PUSH_BREAK_GLASS("push.break-glass"),
    PUSH_LANDED("push.landed"),
    PUSH_SUMMARY("push.summary"),
    ALERT_FAILED("alert.failed"),
    HOOKS_RUNTIME_MOVED("hooks.runtime-moved"),
    // verify-push
    PUSH_VERIFIED("push.verified"),
    PUSH_UNVERIFIED("push.unverified"),
    PUSH_INCONCLUSIVE("push.inconclusive"),
    // stabilize
    STABILIZE_START("stabilize.start"),
    PROBE_OK("probe.ok"),
    PROBE_FAILED("probe.failed"),
    PROBE_INCONCLUSIVE("probe.inconclusive"),
    REVERT_PUSHED("revert.pushed"),
    REVERT_SKIPPED("revert.skipped"),
    REVERT_FAILED("revert.failed"),
    REVERT_CONFLICT("revert.conflict"),
    DEPLOY_RAN("deploy.ran"),
    DEPLOY_FAILED("deploy.failed"),
    RECOVERY_CONFIRMED("recovery.confirmed"),
    RECOVERY_FAILED("recovery.failed"),
    NOTIFY_SENT("notify.sent"),
    NOTIFY_FAILED("notify.failed"),
    // drift
    DRIFT_FOUND("drift.found"),
    DRIFT_ALERTED("drift.alerted"),
    DRIFT_RESOLVED("drift.resolved"),
    DRIFT_HEALED("drift.healed");

    private static final Map<String, EventType> BY_WIRE = new HashMap<>();

    static {
        for (EventType t : values()) {
            BY_WIRE.put(t.wire, t);
        }
    }

    private final String wire;

    EventType(String wire) {
        this.wire = wire;
    }

    /** The name in the logs. */
    @Override
    public String wire() {
        return wire;
    }

    /** Whether {@code e} is of this type. */
    public boolean is(Event e) {
        return wire.equals(e.type());
    }

    /** The type named {@code wire}, empty for a name this version does not know. */
    public static Optional<EventType> of(String wire) {
        return Optional.ofNullable(BY_WIRE.get(wire));
    }

    /** Stabilize's run, one incident: its start, probes, revert, deploy, recovery and notifications. */
    public boolean stabilize() {
        return wire.startsWith("stabilize.") || wire.startsWith("probe.") || wire.startsWith("revert.")
                || wire.startsWith("deploy.") || wire.startsWith("recovery.") || wire.startsWith("notify.");
    }

    @Override
    public String toString() {
        return wire;
    }
}
