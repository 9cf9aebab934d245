package dev.gatekeeper.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A bare "server" repository, {@code <folder>/<name>.git}, whose {@code main} already has one commit (made before
 * any hook is installed, as on a server adopting Gatekeeper), plus what a test asks of it: its gatekeeper folder,
 * secrets, refs and audit events.
 */
final class GitServer {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Git git;
    private final Path gitDir;

    private GitServer(Git git, Path gitDir) {
        this.git = git;
        this.gitDir = gitDir;
    }

    /** Creates {@code folder/name.git} with main = one seed commit. Nothing is installed yet. */
    static GitServer create(Git git, Path folder, String name) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path seed = folder.resolve(name + "-seed");
        git.ok(folder, "init", "-q", "--initial-branch=main", seed.toString());
        git.commit(seed, "README.md", "# " + name + "\n", "seed");
        Path gitDir = folder.resolve(name + ".git");
        git.ok(folder, "clone", "-q", "--bare", seed.toString(), gitDir.toString());
        return new GitServer(git, gitDir);
    }

    Path gitDir() {
        return gitDir;
    }

    /** {@code $GIT_DIR/gatekeeper}: policy, secrets, audit log, alert URL. */
    Path gatekeeperDir() {
        return gitDir.resolve("gatekeeper");
    }

    Path policyFile() {
        return gatekeeperDir().resolve("policy.yaml");
    }

    /** {@code srv/x/app} for {@code /srv/x/app.git}: the gate's second name for it, what URLs naming the path give. */
    String absolutePathName() {
        String p = gitDir.toAbsolutePath().normalize().toString();
        assertTrue(p.startsWith("/") && p.endsWith(".git"), p);
        return p.substring(1, p.length() - ".git".length());
    }

    String fileUrl() {
        return "file://" + gitDir;
    }

    /** Writes {@code $GIT_DIR/gatekeeper/NAME} (a secret, alert.url, the policy), creating the folder. */
    Path write(String name, String content) {
        try {
            Files.createDirectories(gatekeeperDir());
            Path f = gatekeeperDir().resolve(name);
            Files.writeString(f, content, StandardCharsets.UTF_8);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a fresh random secret (32 bytes, base64) to {@code $GIT_DIR/gatekeeper/NAME}. */
    Path writeSecret(String name) {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return write(name, Base64.getEncoder().encodeToString(b) + "\n");
    }

    /** The commit a ref names on the server, or null when it does not exist. */
    String rev(String ref) {
        return git.revOrNull(gitDir, ref);
    }

    String main() {
        return rev("refs/heads/main");
    }

    /** The gate's audit files: ordinary traffic, security events, the ledger of what was allowed and landed. */
    static final List<String> AUDIT_FILES = List.of("events.jsonl", "security.jsonl", "ledger.jsonl");

    /**
     * Every event the gate wrote, from all three audit files (current files only, not rotated ones), each line parsed
     * as one JSON object (fails otherwise).
     */
    List<JsonNode> events() {
        List<JsonNode> out = new ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (String f : AUDIT_FILES) {
            for (JsonNode e : events(f)) {
                if (ids.add(e.path("id").asText())) {
                    out.add(e);
                }
            }
        }
        for (JsonNode e : pendingLandings()) {
            if (ids.add(e.path("id").asText())) {
                out.add(e); // recorded by post-receive's rename, not yet folded into a log by a later push
            }
        }
        return out;
    }

    /** The landings post-receive recorded (renamed notes) that no later push has folded into the logs yet. */
    List<JsonNode> pendingLandings() {
        Path dir = gatekeeperDir().resolve("landing");
        List<JsonNode> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (java.util.stream.Stream<Path> notes = Files.list(dir)) {
            for (Path p : notes.filter(p -> p.toString().endsWith(".landed") || p.toString().contains(".folding-"))
                    .sorted().toList()) {
                List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
                for (String line : lines.subList(1, lines.size())) {
                    assertTrue(line.startsWith("L ") || line.startsWith("O "), p + ": " + line);
                    out.add(JSON.readTree(line.substring(2)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The events of one audit file in {@code $GIT_DIR/gatekeeper/}, e.g. {@code ledger.jsonl}. */
    List<JsonNode> events(String fileName) {
        Path log = gatekeeperDir().resolve(fileName);
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(log)) {
            return out;
        }
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                assertFalse(line.isBlank(), "blank line " + (i + 1) + " in " + log);
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (IOException e) {
                    throw new AssertionError("line " + (i + 1) + " of " + log + " is not JSON: " + line, e);
                }
                assertNotNull(n, "line " + (i + 1) + " of " + log);
                assertEquals(true, n.isObject(), "line " + (i + 1) + " of " + log + " is not a JSON object: " + line);
                out.add(n);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether an event is one of the synthetic updates of an install's or status's self-test. */
    static boolean isSelfTest(JsonNode e) {
        return "gatekeeper-self-test".equals(e.path("pusher").asText());
    }

    Optional<JsonNode> event(String id) {
        return events().stream().filter(e -> id.equals(e.path("id").asText())).findFirst();
    }

    /** The event with this id, failing the test (with the whole log) when there is none. */
    JsonNode requireEvent(String id) {
        return event(id).orElseThrow(() -> new AssertionError("no event " + id + " in the audit log:\n"
                + String.join("\n", events().stream().map(JsonNode::toString).toList())));
    }
}
