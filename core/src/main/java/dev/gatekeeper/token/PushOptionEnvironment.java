package dev.gatekeeper.token;

import dev.gatekeeper.gate.PushCredentials;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment entries that make a plain {@code git push} carry a push option, through git's
 * {@code GIT_CONFIG_COUNT}/{@code GIT_CONFIG_KEY_n}/{@code GIT_CONFIG_VALUE_n} (git 2.31+) as
 * {@code push.pushOption}. Why not {@code git push -o …}: a token on the command line shows in {@code ps} and in
 * every log that echoes the command; an environment entry does neither. Why append: the caller (a CI job, a
 * Jenkins agent) may already pass its own {@code GIT_CONFIG_*} entries, and replacing entry 0 would silently drop
 * one of them. Shared by every packaging that hands a token to a user's own {@code git push} (the Jenkins
 * {@code withGatekeeperToken} block, stabilize's revert push).
 */
public final class PushOptionEnvironment {
    public static final String COUNT = "GIT_CONFIG_COUNT";
    public static final String KEY = "GIT_CONFIG_KEY_";
    public static final String VALUE = "GIT_CONFIG_VALUE_";
    public static final String PUSH_OPTION_KEY = "push.pushOption";

    private PushOptionEnvironment() {}

    /**
     * The entries to add to {@code base} so that git sees {@code push.pushOption=<option>} after the entries
     * {@code base} already declares.
     *
     * @param base the environment git would otherwise get (only {@code GIT_CONFIG_COUNT} is read); a missing,
     *             blank, negative or non-numeric count counts as 0, as stabilize's revert push always did
     * @return {@code GIT_CONFIG_COUNT}, {@code GIT_CONFIG_KEY_n} and {@code GIT_CONFIG_VALUE_n}, in that order
     */
    public static Map<String, String> forPushOption(Map<String, String> base, String option) {
        if (option == null || option.isEmpty() || option.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a push option must be one non-empty line");
        }
        int n = existingCount(base.get(COUNT));
        Map<String, String> out = new LinkedHashMap<>();
        out.put(COUNT, Integer.toString(n + 1));
        out.put(KEY + n, PUSH_OPTION_KEY);
        out.put(VALUE + n, option);
        return out;
    }

    /** {@link #forPushOption} with {@code gatekeeper-token=<token>}, the option the push gate reads. */
    public static Map<String, String> forPipelineToken(Map<String, String> base, String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("no token");
        }
        return forPushOption(base, PushCredentials.TOKEN_OPTION + token.trim());
    }

    private static int existingCount(String count) {
        if (count == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(count.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
