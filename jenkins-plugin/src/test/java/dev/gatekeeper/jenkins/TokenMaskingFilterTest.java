package dev.gatekeeper.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import hudson.console.ConsoleLogFilter;
import hudson.model.Run;
import hudson.util.Secret;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The block's console log filter on its own: what it masks, what it leaves alone, and how it is kept. */
class TokenMaskingFilterTest {
    private static final String TOKEN = "gk1.cmVwbz1hcHAmcmVmPXJlZnMvaGVhZHMvbWFpbg.c2lnbmF0dXJlLXNpZ25hdHVyZQ";

    private static String filtered(ConsoleLogFilter filter, byte[] written) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (OutputStream out = filter.decorateLogger((Run<?, ?>) null, log)) {
            out.write(written);
        }
        return log.toString(StandardCharsets.UTF_8);
    }

    private static String filtered(ConsoleLogFilter filter, String written) throws Exception {
        return filtered(filter, written.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyOccurrenceInALineIsMaskedAndOtherLinesAreUnchanged() throws Exception {
        String log = filtered(new TokenMaskingFilter(TOKEN), String.join("\n",
                "+ echo " + TOKEN,
                TOKEN,
                "GIT_CONFIG_VALUE_0=gatekeeper-token=" + TOKEN,
                "twice: " + TOKEN + "," + TOKEN + "!",
                "no token here, only gk1. and a dot",
                "crlf " + TOKEN + "\r",
                "last line without a newline " + TOKEN));
        assertEquals(String.join("\n",
                "+ echo ****",
                "****",
                "GIT_CONFIG_VALUE_0=gatekeeper-token=****",
                "twice: ****,****!",
                "no token here, only gk1. and a dot",
                "crlf ****\r",
                "last line without a newline ****"), log);
    }

    @Test
    void linesWithoutTheTokenPassByteForByteEvenIfNotUtf8() throws Exception {
        byte[] latin1 = "caf\u00e9 gr\u00fc\u00dfe\n".getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (OutputStream out = new TokenMaskingFilter(TOKEN).decorateLogger((Run<?, ?>) null, log)) {
            out.write(latin1);
        }
        assertEquals(new String(latin1, StandardCharsets.ISO_8859_1), log.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void onlyWholeOccurrencesWithinOneLineAreMasked() throws Exception {
        // Jenkins filters line by line: a token cut by a line break, or transformed, is not recognised
        int half = TOKEN.length() / 2;
        String split = TOKEN.substring(0, half) + "\n" + TOKEN.substring(half) + "\n";
        assertEquals(split, filtered(new TokenMaskingFilter(TOKEN), split));
        String reversed = new StringBuilder(TOKEN).reverse() + "\n";
        assertEquals(reversed, filtered(new TokenMaskingFilter(TOKEN), reversed));
    }

    @Test
    void itSurvivesJavaSerializationAndStillMasks() throws Exception {
        TokenMaskingFilter filter = new TokenMaskingFilter(TOKEN);
        assertInstanceOf(Serializable.class, filter);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(filter);
        }
        Object copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = in.readObject();
        }
        assertEquals("echo ****\n", filtered(assertInstanceOf(TokenMaskingFilter.class, copy), "echo " + TOKEN + "\n"));
    }

    @Test
    void theTokenIsHeldAsASecretNeverAsAPlainStringField() throws Exception {
        TokenMaskingFilter filter = new TokenMaskingFilter(TOKEN);
        boolean secretSeen = false;
        for (Field f : TokenMaskingFilter.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            assertNotEquals(String.class, f.getType(), f.getName());
            assertFalse(f.getType() == char[].class || f.getType() == byte[].class, f.getName());
            f.setAccessible(true);
            Object v = f.get(filter);
            if (v instanceof Secret s) {
                assertEquals(TOKEN, s.getPlainText());
                secretSeen = true;
            }
        }
        assertEquals(true, secretSeen, "the token is kept as a hudson.util.Secret");
    }

    @Test
    void thereMustBeSomethingToMask() {
        assertThrows(IllegalArgumentException.class, () -> new TokenMaskingFilter(""));
        assertThrows(IllegalArgumentException.class, () -> new TokenMaskingFilter(null));
    }
}
