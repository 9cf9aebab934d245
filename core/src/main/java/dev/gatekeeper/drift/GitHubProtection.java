package dev.gatekeeper.drift;

import java.util.List;

/**
 * What protects a GitHub branch, as read: each place protection comes from (classic branch protection, each
 * ruleset that applies), what it requires and whom it does not bind. GitHub enforces all of them at once, so a
 * setting holds for someone when any one source that gives it binds them.
 *
 * @param sources          classic protection (when there is some and it could be read) and the rulesets
 * @param classicUnreadable why classic protection could not be read although it may exist (with what the token
 *                         needs), or null when it was read or is known to be absent
 */
record GitHubProtection(List<Source> sources, String classicUnreadable) {
    GitHubProtection {
        sources = List.copyOf(sources);
    }

    /**
     * One place protection comes from.
     *
     * @param name          "classic branch protection" or "ruleset 'main' (#7)", for messages
     * @param bypass        who is not bound, with how ({@link BypassActor#mode()})
     * @param bypassUnknown why who is not bound cannot be told (GitHub hides a ruleset's bypass actors from
     *                      tokens that cannot edit it), or null
     */
    record Source(String name, List<RequiredCheck> checks, int reviews, boolean blocksForcePushes,
            boolean blocksDeletion, boolean requiresSignatures, List<BypassActor> bypass, String bypassUnknown) {
        Source {
            checks = List.copyOf(checks);
            bypass = List.copyOf(bypass);
        }

        /** "classic branch protection does not bind admins (enforce_admins is off)" and the like. */
        String describe(BypassActor a) {
            if (BypassActor.ADMINS.equals(a.type())) {
                return name + " does not bind admins (enforce_admins is off)";
            }
            if (BypassActor.PULL_REQUEST_ALLOWANCE.equals(a.mode())) {
                return name + " lets " + a.describe() + " push without a pull request (" + a.mode() + ")";
            }
            return name + " lets " + a.describe() + " bypass it (" + (a.mode() == null ? "always" : a.mode()) + ")";
        }
    }
}
