package dev.gatekeeper.drift;

import java.util.Locale;

/**
 * One piece of drift in one target.
 *
 * @param kind    what sort (its {@link Kind#wire()} word is what reports, events, alerts and metrics say)
 * @param subject what it is about: a path, a ref, a config key, a protection setting
 * @param detail  one line a human can act on
 * @param heal    what {@code --heal} does about it, or null when it is for a human
 */
public record Finding(Kind kind, String subject, String detail, String heal) {

    /** Every kind a scanner reports. The wire words are a contract: the scan state and metrics keep them. */
    public enum Kind implements dev.gatekeeper.outcome.Wire {
        /** A deployed checkout has changes nobody committed. */
        DIRTY,
        BEHIND,
        AHEAD,
        DIVERGED,
        WRONG_BRANCH,
        DETACHED,
        NOT_DEPLOYED,
        /** A protected ref's tip the gate never saw land. */
        BYPASS,
        /** The hooks are missing, changed, or not run by git. */
        HOOKS,
        /**
         * The hooks work but were installed by an older version and lack what a fresh install has (HookStatus
         * OUTDATED); heal reinstalls them. Apart from HOOKS so gatekeeper_hooks_tampered does not count it.
         */
        HOOKS_OUTDATED,
        RECEIVE_CONFIG,
        /** GitHub branch protection weaker than the baseline. */
        PROTECTION;

        /** {@code wrong-branch}: the word in reports, events, alerts and metrics. */
        @Override
        public String wire() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        @Override
        public String toString() {
            return wire();
        }
    }

    /** Identity across runs: the same drift still there is the same key (details such as counts may change). */
    public String key() {
        return kind.wire() + ":" + subject;
    }
}
