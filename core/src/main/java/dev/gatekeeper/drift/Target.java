package dev.gatekeeper.drift;

import java.util.List;
import java.util.Map;

/**
 * One thing the drift scanner looks at.
 *
 * @param location a folder (checkout, bare repository) or {@code OWNER/REPO} (GitHub)
 * @param branch   checkout: the branch it must be on (null: the one it is on, detached allowed); GitHub: the
 *                 protected branch (default main)
 * @param expect   checkout: the deployed SHA it must be at (null: the remote-tracking tip of its branch)
 * @param receive  bare: {@code receive.*} values that must not be weakened (key without the "receive." prefix)
 * @param baseline GitHub: the protection the branch must have at least
 */
public record Target(Kind kind, String location, String branch, String expect, Map<String, String> receive,
        ProtectionBaseline baseline) {

    public enum Kind { CHECKOUT, BARE, GITHUB }

    public Target {
        receive = receive == null ? Map.of() : Map.copyOf(receive);
    }

    public static Target checkout(String dir, String branch, String expect) {
        return new Target(Kind.CHECKOUT, dir, branch, expect, Map.of(), null);
    }

    public static Target bare(String dir, Map<String, String> receive) {
        return new Target(Kind.BARE, dir, null, null, receive, null);
    }

    public static Target github(String repo, String branch, ProtectionBaseline baseline) {
        return new Target(Kind.GITHUB, repo, branch == null ? "main" : branch, null, Map.of(),
                baseline == null ? ProtectionBaseline.DEFAULT : baseline);
    }

    /** Stable name in reports and in the state file. */
    public String id() {
        return kind.name().toLowerCase() + ":" + location + (branch == null || kind == Kind.BARE ? "" : "@" + branch);
    }

    /**
     * The least protection a GitHub branch must keep. Required checks and reviews are minimums: removing one is
     * drift, adding more is not.
     *
     * @param requiredChecks the checks that must be required, each from its app or from any source
     * @param enforceAdmins  every setting the baseline asks for must bind admins too (classic
     *                       {@code enforce_admins}, or a ruleset that admins cannot bypass)
     * @param allowBypass    who else may bypass a ruleset giving one of the baseline's settings (apps, teams, roles,
     *                       users, deploy keys); anyone else a ruleset lets bypass is a weakening. Admins are for
     *                       {@code enforceAdmins} to say.
     */
    public record ProtectionBaseline(List<RequiredCheck> requiredChecks, int requiredReviews, boolean enforceAdmins,
            boolean allowForcePushes, boolean allowDeletions, boolean requireSignatures,
            List<BypassActor> allowBypass) {
        public static final ProtectionBaseline DEFAULT = new ProtectionBaseline(List.of(), 1, true, false, false,
                false, List.of());

        public ProtectionBaseline {
            requiredChecks = requiredChecks == null ? List.of() : List.copyOf(requiredChecks);
            allowBypass = allowBypass == null ? List.of() : List.copyOf(allowBypass);
        }

        /** Checks by name from any source, and nobody but (unless {@code enforceAdmins}) admins may bypass. */
        public ProtectionBaseline(List<String> requiredChecks, int requiredReviews, boolean enforceAdmins,
                boolean allowForcePushes, boolean allowDeletions, boolean requireSignatures) {
            this(requiredChecks == null ? List.of() : requiredChecks.stream().map(RequiredCheck::named).toList(),
                    requiredReviews, enforceAdmins, allowForcePushes, allowDeletions, requireSignatures, List.of());
        }
    }
}
