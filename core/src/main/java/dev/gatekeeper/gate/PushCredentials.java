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

    /**
     * Git's verdict on a {@code git push --signed} certificate, and the keyring to tell whose key signed it.
     *
     * @param keys where an allowed key's signing subkeys are looked up (the keyring git verified with)
     */
    public record SignedPush(String status, String key, String signer, String nonceStatus, SigningKeys keys) {
        public SignedPush(String status, String key, String signer, String nonceStatus) {
            this(status, key, signer, nonceStatus, SigningKeys.NONE);
        }

        /** Good signature and, when the server issues nonces, a fresh one (no replayed certificate). */
        public boolean trusted() {
            return "G".equals(status) && (nonceStatus == null || nonceStatus.isEmpty() || "OK".equals(nonceStatus));
        }

        /** Why it is not trusted, in words: the status letter git gave, and the nonce's. */
        public String distrust() {
            String what = switch (status == null ? "" : status) {
                case "G" -> "good signature";
                case "B" -> "bad signature";
                case "U" -> "good signature by a key of unknown validity";
                case "X" -> "good signature that has expired";
                case "Y" -> "good signature by an expired key";
                case "R" -> "good signature by a revoked key";
                case "E" -> "the signature cannot be checked (the server's keyring lacks the key)";
                case "N" -> "no signature";
                default -> "unknown status";
            };
            String nonce = nonceStatus == null || nonceStatus.isEmpty() || "OK".equals(nonceStatus) ? ""
                    : ", nonce " + nonceStatus + (nonceStatus.equals("UNSOLICITED") || nonceStatus.equals("MISSING")
                            ? " (set receive.certNonceSeed on the server)" : "");
            return "status " + status + ": " + what + nonce + ", key " + key;
        }

        /**
         * The allowed entry that names the key that signed: the key itself, or a key of which it is a signing
         * subkey (looked up in the keyring only when the key itself is not listed).
         *
         * @return the entry, or empty with why not
         */
        public KeyMatch allowedBy(List<String> allowed) {
            for (String a : allowed) {
                if (SigningKeys.same(key, a)) {
                    return new KeyMatch(Optional.of(a), null);
                }
            }
            if (allowed.isEmpty() || key == null || key.isBlank()) {
                return new KeyMatch(Optional.empty(), null);
            }
            try {
                for (Map.Entry<String, List<String>> e : keys.signingSubkeys(allowed).entrySet()) {
                    for (String sub : e.getValue()) {
                        if (SigningKeys.same(key, sub)) {
                            return new KeyMatch(Optional.of(e.getKey()), null);
                        }
                    }
                }
                return new KeyMatch(Optional.empty(), null);
            } catch (java.io.IOException e) {
                return new KeyMatch(Optional.empty(), e.getMessage());
            }
        }
    }

    /** Which allowed key a certificate's key belongs to; {@code problem} when the keyring could not be read. */
    public record KeyMatch(Optional<String> allowedKey, String problem) {}

    /**
     * @param pusherEnv the variables that may hold the authenticated pusher, in order (from the policy)
     */
    public static PushCredentials from(Map<String, String> env, List<String> pusherEnv) {
        return from(env, pusherEnv, SigningKeys.gpg(env));
    }

    /** @param keys the keyring a signed push's subkeys are looked up in */
    public static PushCredentials from(Map<String, String> env, List<String> pusherEnv, SigningKeys keys) {
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
                    env.getOrDefault("GIT_PUSH_CERT_SIGNER", ""), env.get("GIT_PUSH_CERT_NONCE_STATUS"), keys));
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
