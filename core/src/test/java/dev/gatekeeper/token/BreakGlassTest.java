package dev.gatekeeper.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BreakGlassTest {

    @TempDir
    Path tmp;

    @Test
    void secretIsLookedUpInOrder() throws Exception {
        Path gitDir = Files.createDirectories(tmp.resolve("app.git"));
        Path configDir = Files.createDirectories(tmp.resolve("etc"));
        Path repoFile = Files.createDirectories(gitDir.resolve("gatekeeper")).resolve(BreakGlass.FILE_NAME);
        Path serverFile = configDir.resolve(BreakGlass.FILE_NAME);
        Path namedFile = tmp.resolve("named.secret");
        Map<String, String> env = new HashMap<>(Map.of("GATEKEEPER_CONFIG_DIR", configDir.toString()));

        assertTrue(BreakGlass.secret(env, gitDir).isEmpty(), "nothing configured");

        Files.writeString(serverFile, "server-wide-break-glass-secret\n");
        assertEquals("file " + serverFile, BreakGlass.secret(env, gitDir).orElseThrow().origin());

        Files.writeString(repoFile, "per-repository-break-glass-secret\n");
        assertEquals("file " + repoFile, BreakGlass.secret(env, gitDir).orElseThrow().origin());

        Files.writeString(namedFile, "named-file-break-glass-secret\n");
        env.put(BreakGlass.ENV_SECRET_FILE, namedFile.toString());
        assertEquals("file " + namedFile, BreakGlass.secret(env, gitDir).orElseThrow().origin());

        env.put(BreakGlass.ENV_SECRET, "environment-break-glass-secret");
        assertEquals("environment variable " + BreakGlass.ENV_SECRET,
                BreakGlass.secret(env, gitDir).orElseThrow().origin());
    }
}
