package dev.gatekeeper.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatekeeper events} shows what was recorded about the repository it is run in (from any folder of a working
 * clone or a linked work tree, as git finds a repository): what verify-push wrote there, what the drift scanner
 * found and healed there; says clearly, with exit 4, when nothing was ever recorded; follows the gate's audit trail
 * as pushes arrive, across log rotation.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a backstop: every process also has its own timeout
class EventsIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path root;
    Map<String, String> env;
    Dist dist;
    Git git;
    GitServer server;

    @BeforeEach
    void setUp() {
        env = Env.isolated(root);
        dist = new Dist(env);
        git = new Git(env);
        server = GitServer.create(git, root.resolve("srv"), "app");
    }

    @Test
    void aWorkingClonesEventsAreFoundFromAnyFolderOfItAndNoLogIsSaidClearly() throws IOException {
        Path work = git.cloneInto(server.gitDir().toString(), root.resolve("work"));
        Path deep = Files.createDirectories(work.resolve("src/main"));

        Proc.Result none = dist.run(deep, "events", "tail").expectExit(4);
        assertTrue(none.stderr().contains("no audit log found") && none.stderr().contains(
                work.resolve(".git/gatekeeper/events.jsonl").toString()), none.describe());
        assertEquals("", none.stdout(), none.describe());
        dist.run(deep, "events", "incidents").expectExit(4);
        Proc.Result outside = dist.run(root, "events", "tail").expectExit(2);
        assertTrue(outside.stderr().contains("not in a git repository"), outside.describe());
        Proc.Result typo = dist.run(root, "events", "tail", "--git-dir", root.resolve("srv").toString())
                .expectExit(2);
        assertTrue(typo.stderr().contains("not a git repository"), typo.describe());

        Proc.Result verified = dist.run(work, "verify-push", "--json").expectOk();
        String id = JSON.readTree(verified.stdout()).get("event").asText();

        for (Path from : List.of(work, deep)) {
            Proc.Result tail = dist.run(from, "events", "tail").expectOk();
            assertTrue(tail.stdout().contains("push.verified") && tail.stdout().contains(id), tail.describe());
        }
        Proc.Result byWorkTree = dist.run(root, "events", "tail", "--git-dir", work.toString()).expectOk();
        assertTrue(byWorkTree.stdout().contains(id), byWorkTree.describe());

        git.ok(work, "worktree", "add", "-q", root.resolve("linked").toString(), "-b", "linked");
        Proc.Result linked = dist.run(root.resolve("linked"), "events", "tail").expectOk();
        assertTrue(linked.stdout().contains(id), "a linked work tree reads its repository's log\n" + linked.describe());

        Proc.Result show = dist.run(deep, "events", "show", id, "--json").expectOk();
        JsonNode event = JSON.readTree(show.stdout());
        assertEquals(id, event.get("id").asText(), show.describe());
        assertEquals("push.verified", event.get("type").asText(), show.describe());
        assertEquals(1, show.stdout().strip().lines().count(), "one JSON object\n" + show.describe());
        Proc.Result text = dist.run(deep, "events", "show", id).expectOk();
        assertTrue(text.stdout().contains("push.verified"), text.describe());
    }

    @Test
    void whatDriftFoundAndHealedInACheckoutIsAmongItsEvents() throws IOException {
        Path deployed = git.cloneInto(server.gitDir().toString(), root.resolve("deployed"));
        Path other = git.cloneInto(server.gitDir().toString(), root.resolve("other"));
        Files.writeString(deployed.resolve("README.md"), "hand edit on the server\n");
        Files.writeString(other.resolve("README.md"), "another hand edit\n");

        // the default state folder ($HOME/.local/state/gatekeeper), both checkouts in one scan
        Proc.Result scan = dist.run(root, "drift", "scan", "--checkout", deployed.toString(), "--checkout",
                other.toString(), "--heal");
        assertTrue(scan.exitCode() == 0 || scan.exitCode() == 3, scan.describe());
        Proc.Result tail = dist.run(deployed, "events", "tail", "--json").expectOk();
        List<JsonNode> events = new ArrayList<>();
        for (String l : tail.stdout().lines().toList()) {
            events.add(JSON.readTree(l));
        }
        Set<String> types = new HashSet<>();
        events.forEach(e -> types.add(e.get("type").asText()));
        assertTrue(types.containsAll(List.of("drift.found", "drift.healed")), tail.describe());
        for (JsonNode e : events) {
            assertFalse(e.toString().contains(other.toString()), "the other checkout's drift is not this one's\n"
                    + tail.describe());
        }

        // a scan with its own state: read with --drift-state, and not without it
        Files.writeString(deployed.resolve("README.md"), "again\n");
        Path state = root.resolve("scanner/state.json");
        dist.run(root, "drift", "scan", "--checkout", deployed.toString(), "--state", state.toString());
        Proc.Result with = dist.run(deployed, "events", "tail", "--json", "-n", "100", "--drift-state",
                state.toString()).expectOk();
        long found = with.stdout().lines().filter(l -> l.contains("\"drift.found\"")).count();
        assertEquals(1, found, "only the scanner's state is read when --drift-state is given\n" + with.describe());
    }

    @Test
    void followPrintsTheGatesEventsAsPushesArriveAcrossRotation() throws Exception {
        // a tiny ordinary log: it rotates every few events while we follow
        Path policy = Policies.write(root.resolve("policies"), "policy.yaml", String.join("\n",
                "version: 1",
                "repository: app",
                "protected:",
                "  - ref: refs/heads/main",
                "audit:",
                "  maxFileSize: 1KB",
                "  maxFiles: 100",
                ""));
        dist.install(policy, server.gitDir(), false);
        Set<String> before = ids(dist.run(root, "events", "tail", "--json", "-n", "100000", "--git-dir",
                server.gitDir().toString()).expectOk().stdout());

        Path out = root.resolve("follow.out");
        Path err = root.resolve("follow.err");
        ProcessBuilder pb = new ProcessBuilder(dist.dir().resolve("bin/gatekeeper").toString(), "events", "tail",
                "--follow", "--json", "-n", "0", "--git-dir", server.gitDir().toString())
                .directory(root.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env);
        Process follow = pb.start();
        try {
            Thread.sleep(1500); // the follower has started (its JVM); what comes now must be printed
            Path work = git.cloneInto(server.fileUrl(), root.resolve("work"));
            git.ok(work, "switch", "-q", "-c", "feature");
            for (int i = 0; i < 6; i++) {
                git.commit(work, "f" + i + ".txt", "change " + i + "\n", "feature " + i);
                git.push(work, List.of(), server.fileUrl(), "HEAD:refs/heads/feature").expectOk();
            }
            Set<String> after = ids(dist.run(root, "events", "tail", "--json", "-n", "100000", "--git-dir",
                    server.gitDir().toString()).expectOk().stdout());
            after.removeAll(before);
            assertTrue(after.size() >= 6, "the pushes were recorded: " + after);
            assertTrue(Files.list(server.gitDir().resolve("gatekeeper")).anyMatch(p -> p.getFileName().toString()
                    .matches("events\\.jsonl\\.[0-9]+")), "the ordinary log rotated");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            List<String> printed = List.of();
            while (System.nanoTime() < deadline) {
                printed = idList(Files.readString(out, StandardCharsets.UTF_8));
                if (new HashSet<>(printed).containsAll(after)) {
                    break;
                }
                Thread.sleep(200);
            }
            assertEquals(after, new LinkedHashSet<>(printed), "every event recorded while following, nothing else\n"
                    + Files.readString(err));
            assertEquals(printed.size(), new HashSet<>(printed).size(), "each once: " + printed);
            assertTrue(follow.isAlive(), "--follow keeps running");
        } finally {
            Proc.kill(follow.toHandle());
            follow.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Set<String> ids(String jsonLines) throws IOException {
        return new LinkedHashSet<>(idList(jsonLines));
    }

    private static List<String> idList(String jsonLines) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : jsonLines.lines().toList()) {
            if (!l.isBlank()) {
                try {
                    out.add(JSON.readTree(l).get("id").asText());
                } catch (IOException torn) {
                    if (!jsonLines.endsWith(l)) {
                        fail("not a JSON line: " + l);
                    }
                }
            }
        }
        return out;
    }
}
