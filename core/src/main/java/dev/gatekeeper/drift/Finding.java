package dev.gatekeeper.drift;

/**
 * One piece of drift in one target.
 *
 * @param kind    what sort: {@code dirty}, {@code behind}, {@code ahead}, {@code diverged}, {@code wrong-branch},
 *                {@code detached}, {@code bypass}, {@code hooks}, {@code receive-config}, {@code protection}
 * @param subject what it is about: a path, a ref, a config key, a protection setting
 * @param detail  one line a human can act on
 * @param heal    what {@code --heal} does about it, or null when it is for a human
 */
public record Finding(String kind, String subject, String detail, String heal) {
    /** Every kind a scanner reports, for metrics that must show 0 rather than nothing. */
    public static final java.util.List<String> KINDS = java.util.List.of("dirty", "behind", "ahead", "diverged",
            "wrong-branch", "detached", "not-deployed", "bypass", "hooks", "receive-config", "protection");

    /** Identity across runs: the same drift still there is the same key (details such as counts may change). */
    public String key() {
        return kind + ":" + subject;
    }
}
