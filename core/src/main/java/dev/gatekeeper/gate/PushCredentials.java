package dev.gatekeeper.gate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a push brings to prove where it comes from, read from the environment git gives the hook: the
 * authenticated pusher (set by the git server), push options ({@code -o gatekeeper-token=…},
 * {@code -o gatekeeper-break-glass=…}) and the signed-push certificate status.
 */
public record PushCredentials(
        Optional<String> pusher,
        String pusherSource,
        List<String> pipelineTokens,
        List<String> breakGlassTokens,
        Optional<SignedPush> signedPush) {

    public static final String TOKEN_OPTION = "gatekeeper-token=";
    public static final String BREAK_GLASS_OPTION = "gatekeeper-break-glass=";

    /** Git's verdict on a {@code git push --signed} certificate. */
    public record SignedPush(String status, String key, String signer, String nonceStatus) {
        /** Good signature and, when the server issues nonces, a fresh one (no replayed certificate). */
        public boolean trusted() {
            return "G".equals(status) && (nonceStatus == null || nonceStatus.isEmpty() || "OK".equals(nonceStatus));
        }
    }

    /**
     * @param pusherEnv the variables that may hold the authenticated pusher, in order (from the policy)
     */
    public static PushCredentials from(Map<String, String> env, List<String> pusherEnv) {
        Optional<String> pusher = Optional.empty();
        String source = "";
        for (String name : pusherEnv) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) {
                pusher = Optional.of(v.trim());
                source = name;
                break;
            }
        }
        List<String> tokens = new ArrayList<>();
        List<String> breakGlass = new ArrayList<>();
        int count = parseCount(env.get("GIT_PUSH_OPTION_COUNT"));
        for (int i = 0; i < count; i++) {
            String opt = env.get("GIT_PUSH_OPTION_" + i);
            if (opt == null) {
                continue;
            }
            if (opt.startsWith(TOKEN_OPTION)) {
                tokens.add(opt.substring(TOKEN_OPTION.length()).trim());
            } else if (opt.startsWith(BREAK_GLASS_OPTION)) {
                breakGlass.add(opt.substring(BREAK_GLASS_OPTION.length()).trim());
            }
        }
        Optional<SignedPush> signed = Optional.empty();
        String status = env.get("GIT_PUSH_CERT_STATUS");
        if (status != null && !status.isEmpty()) {
            signed = Optional.of(new SignedPush(status, env.getOrDefault("GIT_PUSH_CERT_KEY", ""),
                    env.getOrDefault("GIT_PUSH_CERT_SIGNER", ""), env.get("GIT_PUSH_CERT_NONCE_STATUS")));
        }
        return new PushCredentials(pusher, source, tokens, breakGlass, signed);
    }

    private static int parseCount(String s) {
        if (s == null) {
            return 0;
        }
        try {
            return Math.max(0, Math.min(1000, Integer.parseInt(s.trim())));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
