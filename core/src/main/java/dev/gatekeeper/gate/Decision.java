package dev.gatekeeper.gate;

/**
 * The gate's verdict on one ref update.
 *
 * @param type      the event type: {@code push.allowed}, {@code push.refused} or {@code push.break-glass}
 * @param rule      the policy pattern that matched, {@code unprotected}, or {@code fail-closed}
 * @param proof     how the pipeline was proven ({@code token:tok-…}, {@code pusher:ci-bot}, …) or {@code none}
 * @param howToLand for a refusal: what the pusher should do instead
 */
public record Decision(RefUpdate update, boolean allowed, String type, String rule, String reason, String proof,
                       String howToLand) {

    public static final String ALLOWED = "push.allowed";
    public static final String REFUSED = "push.refused";
    public static final String BREAK_GLASS = "push.break-glass";

    /** The same update refused because another update in the push was (pre-receive rejects pushes whole). */
    public Decision refusedWithSiblings() {
        return new Decision(update, false, REFUSED, rule,
                "another ref in the same push was refused (git rejects the whole push); this update alone: " + reason,
                proof, howToLand);
    }
}
