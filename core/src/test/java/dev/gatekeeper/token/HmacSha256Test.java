package dev.gatekeeper.token;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class HmacSha256Test {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void rfc4231TestVectors() {
        // Test case 1: 20-byte key of 0x0b, "Hi There"
        assertEquals("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
                HEX.formatHex(HmacSha256.mac(HEX.parseHex("0b".repeat(20)), "Hi There".getBytes(StandardCharsets.US_ASCII))));
        // Test case 2: key "Jefe"
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                HEX.formatHex(HmacSha256.mac("Jefe".getBytes(StandardCharsets.US_ASCII),
                        "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII))));
        // Test case 6: 131-byte key (longer than the block: hashed first)
        assertEquals("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
                HEX.formatHex(HmacSha256.mac(HEX.parseHex("aa".repeat(131)),
                        "Test Using Larger Than Block-Size Key - Hash Key First".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void agreesWithTheJdkMacForManyKeysAndMessages() throws Exception {
        Random r = new Random(42);
        for (int i = 0; i < 500; i++) {
            byte[] key = new byte[r.nextInt(200) + 1];
            byte[] msg = new byte[r.nextInt(1000)];
            r.nextBytes(key);
            r.nextBytes(msg);
            Mac jdk = Mac.getInstance("HmacSHA256");
            jdk.init(new SecretKeySpec(key, "HmacSHA256"));
            assertArrayEquals(jdk.doFinal(msg), HmacSha256.mac(key, msg), "key length " + key.length);
        }
    }
}
