package dev.gatekeeper.cli.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Policy files the tests install. */
final class Policies {
    static final String HOW_TO_LAND = "Open a pull request; the pipeline merges it and pushes main.";

    /** main and release/* protected, pipeline tokens from $GIT_DIR/gatekeeper/pipeline.secret (the default). */
    static final String STANDARD = String.join("\n",
            "# e2e test policy",
            "version: 1",
            "repository: app",
            "protected:",
            "  - ref: refs/heads/main",
            "    howToLand: \"" + HOW_TO_LAND + "\"",
            "  - ref: refs/heads/release/*",
            "audit:",
            "  maxFileSize: 10MB",
            "alert:",
            "  on: [break-glass, policy-error]",
            "");

    /** Valid YAML with a typo'd key: 'alowDeletion' at line 5, column 5. */
    static final String UNKNOWN_KEY = String.join("\n",
            "version: 1",
            "repository: app",
            "protected:",
            "  - ref: refs/heads/main",
            "    alowDeletion: false",
            "");

    /** Not YAML a policy can be read from: an unclosed flow sequence. */
    static final String INVALID_YAML = String.join("\n",
            "version: 1",
            "protected: [refs/heads/main",
            "  howToLand: \"x",
            "");

    private Policies() {}

    static Path write(Path dir, String name, String text) {
        try {
            Files.createDirectories(dir);
            Path f = dir.resolve(name);
            Files.writeString(f, text, StandardCharsets.UTF_8);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@link #STANDARD}, and main also lands for {@code pusher} when the server authenticated them in {@code variable}
     * (e.g. REMOTE_USER behind an authenticating web server, GL_USER under Gitolite).
     */
    static Path withPipelinePusher(Path dir, String variable, String pusher) {
        String text = STANDARD.replace("protected:\n", "identity:\n  pusherEnv: [" + variable + "]\nprotected:\n")
                .replace("  - ref: refs/heads/main\n", "  - ref: refs/heads/main\n    pushers: [" + pusher + "]\n");
        if (text.equals(STANDARD) || !text.contains("pushers:")) {
            throw new AssertionError("the standard policy changed shape: " + STANDARD);
        }
        return write(dir, "policy.yaml", text);
    }

    static Path standard(Path dir) {
        return write(dir, "policy.yaml", STANDARD);
    }
}
