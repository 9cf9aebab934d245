package dev.gatekeeper.git;

import java.util.Map;

/**
 * A push option given to git through its {@code GIT_CONFIG_COUNT}/{@code GIT_CONFIG_KEY_n}/{@code GIT_CONFIG_VALUE_n}
 * environment as {@code push.pushOption}, so that a plain {@code git push} carries it and it never shows in argv
 * (a token in {@code ps} output is a leaked token). Entries already in the environment are kept: ours is appended.
 */
public final class PushOptionEnv {
    private PushOptionEnv() {}

    /** The variables to add to {@code env} so that git pushes with {@code option} as well as any it had. */
    public static Map<String, String> adding(Map<String, String> env, String option) {
        int n;
        try {
            n = Integer.parseInt(env.getOrDefault("GIT_CONFIG_COUNT", "0").trim());
        } catch (NumberFormatException e) {
            n = 0; // git itself would refuse a malformed count; ours then stands alone
        }
        if (n < 0) {
            n = 0;
        }
        return Map.of("GIT_CONFIG_COUNT", Integer.toString(n + 1),
                "GIT_CONFIG_KEY_" + n, "push.pushOption",
                "GIT_CONFIG_VALUE_" + n, option);
    }
}
