package dev.gatekeeper.gate;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The signing subkeys of the keys a policy allows, read from the keyring git verified the push certificate with.
 * An admin lists a key by its primary fingerprint (what {@code gpg --fingerprint} shows first); the pipeline signs
 * with a signing subkey (what {@code gpg --quick-add-key FPR ed25519 sign} makes, and what most people's keys sign
 * with), and git reports that subkey's id in {@code GIT_PUSH_CERT_KEY}. So a certificate's key is allowed when it is
 * a listed key or a usable (not revoked, not expired) signing subkey of one.
 */
public interface SigningKeys {
    /**
     * The signing subkeys of the allowed keys.
     *
     * @param allowed the policy's keys, as written there
     * @return each allowed entry the keyring knows, with the full fingerprints of its usable signing subkeys
     * @throws IOException when the keyring cannot be read (the message says why)
     */
    Map<String, List<String>> signingSubkeys(List<String> allowed) throws IOException;

    /** No keyring: only keys listed as they are match. */
    SigningKeys NONE = allowed -> Map.of();

    /**
     * The keyring git used: {@code gpg} (or {@code $GATEKEEPER_GPG}) with the hook's environment, so
     * {@code GNUPGHOME} is the one receive-pack verified with.
     */
    static SigningKeys gpg(Map<String, String> env) {
        return new Gpg(env);
    }

    /** Upper-case hex without spaces: "0123 4567 …" and "0x0123…" as gpg prints and admins paste them. */
    static String normalize(String key) {
        String k = key == null ? "" : key.replace(" ", "").toUpperCase(Locale.ROOT);
        return k.startsWith("0X") ? k.substring(2) : k;
    }

    /**
     * Whether the key git reported is {@code candidate}: equal, or one a long key id (16 hex digits at least) and
     * the other the fingerprint ending in it. Shorter ids never match: 8 hex digits are forged in minutes.
     */
    static boolean same(String reported, String candidate) {
        String k = normalize(reported);
        String a = normalize(candidate);
        if (k.isEmpty() || a.isEmpty()) {
            return false;
        }
        return k.equals(a) || (a.length() >= 16 && k.length() >= 16 && (k.endsWith(a) || a.endsWith(k)));
    }

    /** {@code gpg --with-colons --list-keys}, parsed. */
    final class Gpg implements SigningKeys {
        static final long TIMEOUT_SECONDS = 10;
        private final Map<String, String> env;

        Gpg(Map<String, String> env) {
            this.env = env;
        }

        @Override
        public Map<String, List<String>> signingSubkeys(List<String> allowed) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(env.getOrDefault("GATEKEEPER_GPG", "gpg"), "--batch",
                    "--no-tty", "--with-colons", "--fixed-list-mode", "--list-keys", "--"));
            for (String a : allowed) {
                cmd.add(normalize(a));
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new IOException("cannot run gpg to read the allowed keys' subkeys: " + e.getMessage(), e);
            }
            String out;
            try (InputStream in = p.getInputStream()) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                in.transferTo(buf);
                out = buf.toString(StandardCharsets.UTF_8);
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException("gpg did not list the allowed keys within " + TIMEOUT_SECONDS + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            // exit 2 when one of several keys is unknown: the ones found are still listed
            return parse(out, allowed);
        }

        /**
         * Pairs each {@code pub} block with the allowed entry naming its primary key, and collects its {@code sub}
         * keys with the signing capability ({@code s} in field 12) that are not revoked or expired (field 2).
         */
        static Map<String, List<String>> parse(String colons, List<String> allowed) {
            Map<String, List<String>> out = new LinkedHashMap<>();
            String current = null;
            String pendingKind = null;
            boolean pendingUsable = false;
            for (String line : colons.split("\n")) {
                String[] f = line.split(":", -1);
                switch (f[0]) {
                    case "pub" -> {
                        current = null;
                        pendingKind = "pub";
                    }
                    case "sub" -> {
                        pendingKind = "sub";
                        String validity = f.length > 1 ? f[1] : "";
                        String caps = f.length > 11 ? f[11] : "";
                        pendingUsable = caps.contains("s") && !validity.equals("r") && !validity.equals("e");
                    }
                    case "fpr" -> {
                        String fpr = f.length > 9 ? normalize(f[9]) : "";
                        if ("pub".equals(pendingKind)) {
                            for (String a : allowed) {
                                if (same(fpr, a)) {
                                    current = a;
                                    out.computeIfAbsent(a, k -> new ArrayList<>());
                                    break;
                                }
                            }
                        } else if ("sub".equals(pendingKind) && current != null && pendingUsable) {
                            out.get(current).add(fpr);
                        }
                        pendingKind = null;
                    }
                    default -> { }
                }
            }
            return out;
        }
    }
}
