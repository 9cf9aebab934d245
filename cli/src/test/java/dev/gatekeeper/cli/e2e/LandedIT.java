package dev.gatekeeper.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * Pipelines racing for main: every push carries a valid token for its own commit, the gate allows them all, and git
 * lets exactly one win its ref lock. The audit says what landed ({@code push.landed}, from post-receive) apart from
 * what was allowed, and drift's provenance reads what landed: a commit that was allowed but lost the race, written
 * into main later around the hook, is a bypass.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES) // a backstop: every process also has its own timeout
class LandedIT {
    static final String MAIN = "refs/heads/main";
    static final int RACERS = 6;

    @Test
    void ofConcurrentTokenPushesOnlyTheOneGitLetWinIsLandedAndDriftTrustsOnlyThat(@TempDir Path root)
            throws Exception {
        Map<String, String> env = Env.isolated(root);
        Git git = new Git(env);
        Dist dist = new Dist(env);
        GitServer server = GitServer.create(git, root.resolve("srv"), "app");
        dist.install(Policies.standard(root.resolve("policies")), server.gitDir(), false);
        Path secret = server.writeSecret("pipeline.secret");

        try (GitDaemon daemon = GitDaemon.start(env, server.gitDir().getParent())) {
            String url = daemon.url("app.git");
            Set<String> losersAllowed = new HashSet<>();
            // The race is real, so a round can end with every other racer stopped before the hook (their client saw
            // the winner's tip first); run rounds until some racer was allowed by the gate and still lost.
            for (int round = 0; round < 5 && losersAllowed.isEmpty(); round++) {
                losersAllowed.addAll(race(root.resolve("round" + round), git, dist, server, secret, url));
            }
            assertTrue(!losersAllowed.isEmpty(), "no racer was allowed and then lost git's lock in 5 rounds");

            // What landed: exactly the tips main really had.
            Set<String> landed = new HashSet<>();
            for (JsonNode e : server.events()) {
                if ("push.landed".equals(e.path("type").asText()) && MAIN.equals(e.path("ref").asText())) {
                    landed.add(e.path("new").asText());
                }
            }
            assertTrue(landed.contains(server.main()), "main's tip must be landed: " + landed);
            for (String loser : losersAllowed) {
                assertTrue(!landed.contains(loser), "a push that lost the lock race is not landed: " + loser);
            }
            Path state = root.resolve("state/drift.json");
            Proc.Result clean = dist.driftScanBare(root, server.gitDir(), state);
            assertEquals(0, clean.exitCode(), clean.describe());

            // Someone with the server's disk writes an allowed-but-never-landed commit into main, around the hook.
            String loser = losersAllowed.iterator().next();
            git.ok(server.gitDir(), "--git-dir=" + server.gitDir(), "update-ref", MAIN, loser);
            Proc.Result bypass = dist.driftScanBare(root, server.gitDir(), state);
            assertEquals(3, bypass.exitCode(), "an allowed commit that never landed is not provenance\n"
                    + bypass.describe());
            assertTrue(bypass.stdout().contains("bypass") && bypass.stdout().contains(loser.substring(0, 7)),
                    bypass.describe());
        }
    }

    /** One round: RACERS pushes of sibling commits to main at once; returns the SHAs allowed by the gate that lost. */
    private static Set<String> race(Path dir, Git git, Dist dist, GitServer server, Path secret, String url)
            throws Exception {
        java.nio.file.Files.createDirectories(dir);
        Path work = git.cloneInto(url, dir.resolve("work"));
        String base = git.head(work);
        Map<String, String> tokenBySha = new LinkedHashMap<>();
        for (int i = 0; i < RACERS; i++) {
            git.ok(work, "checkout", "-q", "--detach", base);
            String sha = git.commit(work, "racer" + i + ".txt", "racer " + i + "\n", "racer " + i);
            tokenBySha.put(sha, dist.mint(dir, "app", MAIN, sha, secret));
        }
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Proc.Result>> results = new ArrayList<>();
        try {
            for (Map.Entry<String, String> t : tokenBySha.entrySet()) {
                results.add(pool.submit(() -> {
                    go.await();
                    return git.push(work, List.of("gatekeeper-token=" + t.getValue()), url, t.getKey() + ":" + MAIN);
                }));
            }
            go.countDown();
            int won = 0;
            for (Future<Proc.Result> f : results) {
                if (f.get(180, TimeUnit.SECONDS).exitCode() == 0) {
                    won++;
                }
            }
            assertEquals(1, won, "exactly one racer wins main");
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        }
        Set<String> allowed = new HashSet<>();
        for (JsonNode e : server.events()) {
            if ("push.allowed".equals(e.path("type").asText()) && MAIN.equals(e.path("ref").asText())) {
                allowed.add(e.path("new").asText());
            }
        }
        Set<String> losers = new HashSet<>();
        for (String sha : tokenBySha.keySet()) {
            if (allowed.contains(sha) && !sha.equals(server.main())) {
                losers.add(sha);
            }
        }
        return losers;
    }
}
