package dev.gatekeeper.cli.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The environment every process of the end-to-end tests gets, built from nothing: the test machine's own git
 * config, GATEKEEPER_* variables, GIT_DIR or locale cannot leak in. Git reads no system config and its global
 * config from a scratch HOME; commits have a fixed author; git never prompts; the launcher uses the JVM that runs
 * the tests.
 */
final class Env {
    static final String USER = "e2e-tester";

    private Env() {}

    /** A fresh isolated environment whose HOME is {@code root/home} (created). */
    static Map<String, String> isolated(Path root) {
        Path home = root.resolve("home");
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> env = new HashMap<>();
        String path = System.getenv("PATH");
        env.put("PATH", path == null || path.isBlank() ? "/usr/local/bin:/usr/bin:/bin" : path);
        env.put("HOME", home.toString());
        env.put("USER", USER);
        env.put("LC_ALL", "C.UTF-8");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("TMPDIR", System.getProperty("java.io.tmpdir"));
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_AUTHOR_NAME", "E2E Author");
        env.put("GIT_AUTHOR_EMAIL", "author@e2e.invalid");
        env.put("GIT_COMMITTER_NAME", "E2E Committer");
        env.put("GIT_COMMITTER_EMAIL", "committer@e2e.invalid");
        return env;
    }
}
