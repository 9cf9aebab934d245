package dev.gatekeeper.token;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * An HMAC secret, read from an environment variable or a file. Never printed: {@link #toString()} hides it, and
 * nothing in Gatekeeper logs its bytes.
 */
public final class Secret {
    /** Shorter secrets are refused: an HMAC key of a few characters can be guessed offline from one token. */
    public static final int MIN_LENGTH = 16;

    private final byte[] bytes;
    private final String origin;

    private Secret(byte[] bytes, String origin) {
        this.bytes = bytes;
        this.origin = origin;
    }

    /**
     * Reads the secret from {@code env[envName]} if set, else from {@code file} if it exists.
     *
     * @return empty when neither is present
     * @throws IllegalStateException when a source is present but unusable (too short, unreadable)
     */
    public static Optional<Secret> load(Map<String, String> env, String envName, Path file) {
        if (envName != null) {
            String v = env.get(envName);
            if (v != null && !v.isEmpty()) {
                return Optional.of(of(v.trim().getBytes(StandardCharsets.UTF_8), "environment variable " + envName));
            }
        }
        if (file != null && Files.exists(file)) {
            try {
                String v = Files.readString(file, StandardCharsets.UTF_8).trim();
                return Optional.of(of(v.getBytes(StandardCharsets.UTF_8), "file " + file));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the secret file " + file + ": " + e.getMessage(), e);
            }
        }
        return Optional.empty();
    }

    public static Secret of(byte[] bytes, String origin) {
        if (bytes.length < MIN_LENGTH) {
            throw new IllegalStateException("the secret from " + origin + " is shorter than " + MIN_LENGTH
                    + " bytes; generate one with: head -c 32 /dev/urandom | base64");
        }
        return new Secret(bytes.clone(), origin);
    }

    byte[] bytes() {
        return bytes;
    }

    /** Where it came from (never the value), for messages. */
    public String origin() {
        return origin;
    }

    /** Constant-time comparison of two MACs. */
    static boolean equalMacs(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    @Override
    public String toString() {
        return "Secret[from " + origin + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && MessageDigest.isEqual(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new byte[] {(byte) bytes.length});
    }
}
