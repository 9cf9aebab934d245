package dev.gatekeeper.verify;

import java.util.Optional;

/**
 * What the remote branch must hold for a claim to count as verified. Any combination of:
 * <ul>
 *   <li>{@code commit}: the tip equals it, or with {@code contains} the tip has it in its history (someone else
 *       may have pushed on top since);</li>
 *   <li>{@code mustMove}: the tip differs from {@code baseline}, where a null baseline means "the branch did not
 *       exist".</li>
 * </ul>
 * A branch that does not exist on the remote never verifies anything.
 */
public record Expectation(String commit, boolean contains, boolean mustMove, String baseline) {

    /** The tip is exactly {@code commit}. */
    public static Expectation exact(String commit) {
        return new Expectation(commit, false, false, null);
    }

    /** {@code commit} is the tip or one of its ancestors. */
    public static Expectation contains(String commit) {
        return new Expectation(commit, true, false, null);
    }

    /** The tip moved away from {@code baseline} (null: the branch now exists). */
    public static Expectation movedFrom(String baseline) {
        return new Expectation(null, false, true, baseline);
    }

    /** This expectation, and also that the tip moved away from {@code baselineOrNull}. */
    public Expectation andMovedFrom(String baselineOrNull) {
        return new Expectation(commit, contains, true, baselineOrNull);
    }

    /** How a tip compares; {@code reason} is one line for people, empty when met. */
    public record Outcome(Result result, String reason) {
        public boolean met() {
            return result == Result.MET;
        }
    }

    /** The ways a tip can fall short, so callers can word them for their context. */
    public enum Result { MET, NO_BRANCH, NOT_MOVED, DIFFERENT, NOT_CONTAINED }

    /** Compares a tip read from the remote; asks {@code reader} about history only when it has to. */
    public Outcome check(Optional<String> tip, RefReader reader) throws RemoteReadException {
        if (tip.isEmpty()) {
            return new Outcome(Result.NO_BRANCH, "the branch does not exist on the remote");
        }
        String t = tip.get();
        if (mustMove && t.equals(baseline)) {
            return new Outcome(Result.NOT_MOVED, "the branch did not move: still at " + abbrev(t));
        }
        if (commit != null && !t.equals(commit)) {
            if (!contains) {
                return new Outcome(Result.DIFFERENT, "the branch is at " + abbrev(t) + ", not " + abbrev(commit));
            }
            if (!reader.contains(t, commit)) {
                return new Outcome(Result.NOT_CONTAINED, "the branch is at " + abbrev(t) + ", which does not contain "
                        + abbrev(commit));
            }
        }
        return new Outcome(Result.MET, "");
    }

    /** One phrase for messages: what was expected. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (commit != null) {
            sb.append(contains ? "contains " : "is at ").append(abbrev(commit));
        }
        if (mustMove) {
            if (sb.length() > 0) {
                sb.append(" and ");
            }
            sb.append(baseline == null ? "now exists" : "moved from " + abbrev(baseline));
        }
        return sb.length() == 0 ? "exists" : sb.toString();
    }

    /** The mode name in JSON and events. */
    public String mode() {
        if (commit == null) {
            return mustMove ? "since" : "exists";
        }
        return contains ? "contains" : "exact";
    }

    static String abbrev(String id) {
        return id == null ? "(none)" : id.length() > 12 ? id.substring(0, 12) : id;
    }
}
