package dev.gatekeeper.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretTest {
    private static final String ENV_VALUE = "env-secret-value-0123456789";
    private static final String FILE_VALUE = "file-secret-value-0123456789";

    @TempDir
    Path tmp;

    private Path secretFile(String content) throws Exception {
        return Files.writeString(tmp.resolve("pipeline.secret"), content);
    }

    @Test
    void environmentComesBeforeTheFile() throws Exception {
        Path file = secretFile(FILE_VALUE + "\n");
        Secret s = Secret.load(Map.of("GK_SECRET", ENV_VALUE), "GK_SECRET", file).orElseThrow();
        assertEquals("environment variable GK_SECRET", s.origin());
        assertEquals(ENV_VALUE, new String(s.bytes(), StandardCharsets.UTF_8));
    }

    @Test
    void fileIsUsedWhenTheVariableIsUnsetOrEmpty() throws Exception {
        Path file = secretFile(FILE_VALUE + "\n");
        for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("GK_SECRET", ""))) {
            Secret s = Secret.load(env, "GK_SECRET", file).orElseThrow();
            assertEquals("file " + file, s.origin());
            // the trailing newline every editor adds is not part of the secret
            assertEquals(FILE_VALUE, new String(s.bytes(), StandardCharsets.UTF_8));
        }
        Secret noEnvName = Secret.load(Map.of("GK_SECRET", ENV_VALUE), null, file).orElseThrow();
        assertEquals("file " + file, noEnvName.origin());
    }

    @Test
    void nothingConfiguredIsEmpty() {
        assertEquals(Optional.empty(), Secret.load(Map.of(), "GK_SECRET", tmp.resolve("missing.secret")));
        assertEquals(Optional.empty(), Secret.load(Map.of(), "GK_SECRET", null));
        assertEquals(Optional.empty(), Secret.load(Map.of(), null, null));
    }

    @Test
    void tooShortSecretIsRefused() throws Exception {
        String fifteen = "a".repeat(Secret.MIN_LENGTH - 1);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Secret.load(Map.of("GK_SECRET", fifteen), "GK_SECRET", null));
        assertTrue(e.getMessage().contains("shorter than 16 bytes"), e.getMessage());
        assertFalse(e.getMessage().contains(fifteen), "the message must not show the secret");

        Path file = secretFile("  short \n");
        assertThrows(IllegalStateException.class, () -> Secret.load(Map.of(), "GK_SECRET", file));
        // whitespace does not count towards the length
        assertThrows(IllegalStateException.class,
                () -> Secret.load(Map.of("GK_SECRET", " ".repeat(40)), "GK_SECRET", null));
    }

    @Test
    void sixteenBytesIsEnough() {
        String sixteen = "b".repeat(Secret.MIN_LENGTH);
        assertTrue(Secret.load(Map.of("GK_SECRET", sixteen), "GK_SECRET", null).isPresent());
    }

    @Test
    void unreadableFileIsAnError() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("a-directory"));
        assertThrows(IllegalStateException.class, () -> Secret.load(Map.of(), "GK_SECRET", dir));
    }

    @Test
    void toStringNeverContainsTheSecret() throws Exception {
        Secret fromEnv = Secret.load(Map.of("GK_SECRET", ENV_VALUE), "GK_SECRET", null).orElseThrow();
        Secret fromFile = Secret.load(Map.of(), "GK_SECRET", secretFile(FILE_VALUE)).orElseThrow();
        assertFalse(fromEnv.toString().contains(ENV_VALUE), fromEnv.toString());
        assertFalse(fromEnv.toString().contains("0123456789"), fromEnv.toString());
        assertFalse(fromFile.toString().contains(FILE_VALUE), fromFile.toString());
        assertFalse(fromEnv.origin().contains(ENV_VALUE));
        assertTrue(fromEnv.toString().contains("GK_SECRET"), fromEnv.toString());
    }

    @Test
    void equalityIsByValue() {
        Secret a = Secret.of(ENV_VALUE.getBytes(StandardCharsets.UTF_8), "a");
        Secret b = Secret.of(ENV_VALUE.getBytes(StandardCharsets.UTF_8), "b");
        Secret c = Secret.of(FILE_VALUE.getBytes(StandardCharsets.UTF_8), "c");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, c);
    }

    @Test
    void secretKeepsItsOwnCopyOfTheBytes() {
        byte[] raw = ENV_VALUE.getBytes(StandardCharsets.UTF_8);
        Secret s = Secret.of(raw, "test");
        raw[0] = 'X';
        assertEquals(ENV_VALUE, new String(s.bytes(), StandardCharsets.UTF_8));
    }
}
