package dev.gatekeeper.token;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * HMAC-SHA256 (RFC 2104) over {@code MessageDigest}. Why not {@code javax.crypto.Mac}: asking the JCA for any
 * Mac, even naming the provider, makes the JDK instantiate every installed provider (PKCS#11, smart cards, SASL,
 * XML signatures) first, ~50 ms on every push that carries a token. SHA-256 comes from the first provider, so
 * this costs a few milliseconds. Tested against {@code Mac} and RFC 4231's vectors.
 */
final class HmacSha256 {
    private static final int BLOCK = 64;

    private HmacSha256() {}

    static byte[] mac(byte[] key, byte[] message) {
        MessageDigest sha = sha256();
        byte[] k = key.length > BLOCK ? sha.digest(key) : key;
        byte[] ipad = new byte[BLOCK];
        byte[] opad = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            ipad[i] = (byte) (b ^ 0x36);
            opad[i] = (byte) (b ^ 0x5c);
        }
        sha.reset();
        sha.update(ipad);
        byte[] inner = sha.digest(message);
        sha.update(opad);
        byte[] out = sha.digest(inner);
        Arrays.fill(ipad, (byte) 0);
        Arrays.fill(opad, (byte) 0);
        return out;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
