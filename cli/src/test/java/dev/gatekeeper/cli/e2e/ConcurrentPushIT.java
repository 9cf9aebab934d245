package dev.gatekeeper.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Twenty pushes at once (twenty branches, each its own commit) into one gated repository over {@code git daemon},
 * so twenty receive-packs run twenty hook JVMs that append to one audit log at the same time: exactly twenty
 * decisions and twenty landings (post-receive) come out, each a whole JSON line, with unique ids, one per branch.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a backstop: every process also has its own timeout
class ConcurrentPushIT {
    static final int PUSHES = 20;

    record Timed(String branch, Proc.Result result, long startNanos, long endNanos) {}

    @Test
    void twentyConcurrentPushesLeaveExactlyTwentyValidAuditEvents(@TempDir Path root) throws Exception {
        Map<String, String> env = Env.isolated(root);
        Git git = new Git(env);
        Dist dist = new Dist(env);
        GitServer server = GitServer.create(git, root.resolve("srv"), "app");
        dist.install(Policies.standard(root.resolve("policies")), server.gitDir(), false);
        assertTrue(server.events().stream().allMatch(GitServer::isSelfTest), "no events before the pushes but the"
                + " install's self-test:\n" + server.events());

        Map<String, String> shaByRef = new HashMap<>();
        try (GitDaemon daemon = GitDaemon.start(env, server.gitDir().getParent())) {
            String url = daemon.url("app.git");
            Path work = git.cloneInto(url, root.resolve("work"));
            for (int i = 0; i < PUSHES; i++) {
                String branch = "concurrent/b" + i;
                git.ok(work, "checkout", "-q", "-b", branch, "origin/main");
                shaByRef.put("refs/heads/" + branch, git.commit(work, "f" + i + ".txt", "branch " + i + "\n",
                        "commit for " + branch));
            }

            ExecutorService pool = Executors.newFixedThreadPool(PUSHES);
            CountDownLatch ready = new CountDownLatch(PUSHES);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Timed>> futures = new ArrayList<>();
            try {
                for (String ref : shaByRef.keySet()) {
                    futures.add(pool.submit(() -> {
                        ready.countDown();
                        go.await();
                        long start = System.nanoTime();
                        // To the URL, not a remote: no remote-tracking ref for the threads to fight over.
                        Proc.Result r = git.push(work, List.of(), url, ref + ":" + ref);
                        return new Timed(ref, r, start, System.nanoTime());
                    }));
                }
                assertTrue(ready.await(60, TimeUnit.SECONDS), "threads did not start");
                go.countDown();
                List<Timed> done = new ArrayList<>();
                for (Future<Timed> f : futures) {
                    done.add(f.get(180, TimeUnit.SECONDS));
                }
                for (Timed t : done) {
                    t.result().expectOk();
                }
                assertTrue(maxOverlap(done) >= 2, "the pushes should really have run at the same time");
            } finally {
                pool.shutdownNow();
                assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS), "push threads did not stop");
            }
            for (Map.Entry<String, String> e : shaByRef.entrySet()) {
                assertEquals(e.getValue(), server.rev(e.getKey()), e.getKey() + " on the server");
            }
        }

        // fails on any line that is not a whole JSON object
        List<JsonNode> events = server.events().stream().filter(e -> !GitServer.isSelfTest(e)).toList();
        assertEquals(2 * PUSHES, events.size(), "exactly one decision and one landing per push:\n" + events);
        Set<String> ids = new HashSet<>();
        Map<String, Set<String>> refsByType = new HashMap<>();
        for (JsonNode e : events) {
            assertTrue(ids.add(e.path("id").asText()), "duplicate id " + e);
            String type = e.path("type").asText();
            assertTrue(refsByType.computeIfAbsent(type, t -> new HashSet<>()).add(e.path("ref").asText()),
                    "two " + type + " events for one branch " + e);
            assertEquals("push.allowed".equals(type) ? "allowed" : "landed", e.path("decision").asText(),
                    e.toString());
            assertEquals(shaByRef.get(e.path("ref").asText()), e.path("new").asText(), e.toString());
            assertFalse(e.path("time").asText().isEmpty(), e.toString());
        }
        assertEquals(Set.of("push.allowed", "push.landed"), refsByType.keySet());
        assertEquals(shaByRef.keySet(), refsByType.get("push.allowed"));
        assertEquals(shaByRef.keySet(), refsByType.get("push.landed"));

        // The CLI reads the same twenty back, with no unreadable line.
        Proc.Result tail = dist.run(root, "events", "tail", "-n", "100", "--json", "--git-dir",
                server.gitDir().toString()).expectOk();
        assertEquals(2 * PUSHES, java.util.Arrays.stream(tail.stdout().strip().split("\n"))
                .filter(l -> l.contains("refs/heads/concurrent/")).count(), tail.describe());
        assertFalse(tail.stderr().contains("unreadable"), tail.describe());
    }

    /** The most pushes that were running at one moment. */
    private static int maxOverlap(List<Timed> runs) {
        int best = 0;
        for (Timed a : runs) {
            int n = 0;
            for (Timed b : runs) {
                if (b.startNanos() <= a.startNanos() && a.startNanos() < b.endNanos()) {
                    n++;
                }
            }
            best = Math.max(best, n);
        }
        return best;
    }
}
