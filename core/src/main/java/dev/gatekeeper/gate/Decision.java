package dev.gatekeeper.gate;

import dev.gatekeeper.events.EventType;

/**
 * The gate's verdict on one ref update.
 *
 * @param update    the update as pushed
 * @param type      the event type: {@link EventType#PUSH_ALLOWED}, {@link EventType#PUSH_REFUSED} or
 *                  {@link EventType#PUSH_BREAK_GLASS}
 * @param rule      the policy pattern that matched, {@code unprotected}, {@code fail-closed} or
 *                  {@code unresolvable-symref}
 * @param proof     how the pipeline was proven ({@code token:tok-…}, {@code pusher:ci-bot}, …) or {@code none}
 * @param howToLand for a refusal: what the pusher should do instead
 * @param ref       the ref git writes: the pushed name, or the end of its chain of symbolic refs
 * @param via       the symbolic refs the push goes through ({@code refs/heads/master}), or null
 */
public record Decision(RefUpdate update, boolean allowed, EventType type, String rule, String reason, String proof,
                       String howToLand, String ref, String via) {

    /** A decision on an update that names the ref git writes. */
    public Decision(RefUpdate update, boolean allowed, EventType type, String rule, String reason, String proof,
                    String howToLand) {
        this(update, allowed, type, rule, reason, proof, howToLand, update.refName(), null);
    }

    /** The same update refused because another update in the push was (pre-receive rejects pushes whole). */
    public Decision refusedWithSiblings() {
        return new Decision(update, false, EventType.PUSH_REFUSED, rule,
                "another ref in the same push was refused (git rejects the whole push); this update alone: " + reason,
                proof, howToLand, ref, via);
    }
}
