package dev.gatekeeper.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dead-man's switch with real processes and real (short) periods: the drift scan runs as its timer would,
 * records its heartbeat and pings a ping endpoint; {@code gatekeeper watch} runs as its own timer would and
 * alerts a webhook (a local HTTP receiver that is also the ping endpoint) when the scan stops, not before its
 * period + grace, and says "resolved" when the scan runs again.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a backstop: every process also has its own timeout
class WatchIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PERIOD = Duration.ofSeconds(6);
    private static final Duration GRACE = Duration.ofSeconds(3);
    /** How often the test runs watch, as its timer would (every five minutes in production). */
    private static final Duration WATCH_EVERY = Duration.ofMillis(500);

    @TempDir Path root;
    Map<String, String> env;
    Git git;
    Dist dist;
    Path checkout;
    Path heartbeats;

    @BeforeEach
    void setUp() {
        env = Env.isolated(root);
        git = new Git(env);
        dist = new Dist(env);
        GitServer server = GitServer.create(git, root.resolve("srv"), "app");
        checkout = git.cloneInto(server.fileUrl(), root.resolve("production"));
        heartbeats = root.resolve("state/heartbeats");
    }

    @Test
    void aStoppedDriftScanIsReportedWithinOnePeriodPlusGraceAndResolvedWhenItRunsAgain() throws IOException {
        try (AlertWebhook receiver = AlertWebhook.start()) {
            Path config = watchConfig("""
                    jobs:
                      - name: drift-scan
                        period: %ds
                        grace: %ds
                    """.formatted(PERIOD.toSeconds(), GRACE.toSeconds()));
            String ping = receiver.url().replace("/alerts/gatekeeper", "/ping/drift-check");

            // the timer runs the scan: clean, recorded, pinged (start, then success)
            driftScan(ping).expectOk();
            JsonNode first = record("drift-scan");
            Instant lastStart = Instant.parse(first.path("lastStart").asText());
            assertEquals(0, first.path("lastExit").asInt(), first.toString());
            assertEquals(List.of("/ping/drift-check/start", "/ping/drift-check"), paths(receiver, "/ping/"));
            assertTrue(receiver.received().get(1).body().contains("gatekeeper drift-scan: exit 0"),
                    receiver.received().toString());

            // the timer stops: watch runs on its own timer until it alerts
            Instant deadline = lastStart.plus(PERIOD).plus(GRACE);
            List<String> beforeDeadline = new ArrayList<>();
            Proc.Result alerted = null;
            long longestWatch = 0;
            while (alerted == null) {
                Instant started = Instant.now();
                if (started.isAfter(deadline.plusSeconds(60))) {
                    fail("watch did not report the stopped scan within a minute after its deadline " + deadline
                            + "; runs: " + beforeDeadline);
                }
                Proc.Result r = watch(config, receiver);
                longestWatch = Math.max(longestWatch, r.took().toMillis());
                if (r.exitCode() == 3) {
                    alerted = r;
                } else {
                    r.expectOk();
                    assertTrue(r.stdout().contains("OK         drift-scan"), r.describe());
                    beforeDeadline.add(started + " ok");
                    sleep(WATCH_EVERY);
                }
            }
            assertTrue(alerted.stdout().contains("OVERDUE    drift-scan"), alerted.describe());
            List<AlertWebhook.Received> alerts = alerts(receiver);
            assertEquals(1, alerts.size(), "one alert\n" + alerts);
            JsonNode alert = JSON.readTree(alerts.get(0).body());
            assertEquals("critical", alert.path("severity").asText(), alert.toString());
            assertEquals("gatekeeper watch: drift-scan overdue", alert.path("title").asText(), alert.toString());
            assertEquals(lastStart.toString(), alert.path("fields").path("last_start").asText(), alert.toString());
            // never before period + grace after the last start...
            Instant alertAt = Instant.ofEpochMilli(alerts.get(0).atMillis());
            assertTrue(!alertAt.isBefore(deadline), "alerted at " + alertAt + ", before the deadline " + deadline);
            // ...and within it, give or take one round of the watch's own timer (interval + one run of it)
            Duration late = Duration.between(deadline, alertAt);
            assertTrue(late.toMillis() <= WATCH_EVERY.toMillis() + 2 * longestWatch + 1000,
                    "alerted " + late.toMillis() + " ms after the deadline; a watch run takes up to " + longestWatch
                            + " ms and runs every " + WATCH_EVERY.toMillis() + " ms");
            assertTrue(!beforeDeadline.isEmpty(), "watch should have run (and said ok) before the deadline");
            System.out.println("WatchIT: last start " + lastStart + ", period + grace " + PERIOD.plus(GRACE).toSeconds()
                    + " s, alerted " + Duration.between(lastStart, alertAt).toMillis() + " ms after the last start ("
                    + late.toMillis() + " ms after the deadline; " + beforeDeadline.size() + " watch runs said ok "
                    + "before it; the longest watch run took " + longestWatch + " ms)");

            // still overdue: no second alert (the reminder is daily)
            watch(config, receiver).expectExit(3);
            assertEquals(1, alerts(receiver).size(), alerts(receiver).toString());

            // the timer runs again: the scan records, watch says "resolved" once, then nothing
            driftScan(ping).expectOk();
            Proc.Result back = watch(config, receiver).expectOk();
            assertTrue(back.stdout().contains("OK         drift-scan"), back.describe());
            assertTrue(back.stdout().contains("alert sent: gatekeeper watch: resolved: drift-scan runs again"),
                    back.describe());
            List<AlertWebhook.Received> after = alerts(receiver);
            assertEquals(2, after.size(), after.toString());
            JsonNode resolved = JSON.readTree(after.get(1).body());
            assertEquals("info", resolved.path("severity").asText(), resolved.toString());
            watch(config, receiver).expectOk();
            assertEquals(2, alerts(receiver).size(), "nothing more once resolved");
            assertEquals(List.of("/ping/drift-check/start", "/ping/drift-check", "/ping/drift-check/start",
                    "/ping/drift-check"), paths(receiver, "/ping/"));
        }
    }

    @Test
    void aJobThatKeepsFailingAndAJobThatNeverRanAreReportedAndPingedWithTheExitCode() throws IOException {
        try (AlertWebhook receiver = AlertWebhook.start()) {
            Path config = watchConfig("""
                    jobs:
                      - name: drift-scan
                        period: 1h
                      - name: drill
                        period: 3s
                        grace: 1s
                    """);
            String ping = receiver.url().replace("/alerts/gatekeeper", "/ping/drift-check");
            Proc.Result first = watch(config, receiver).expectOk(); // drill: not due yet; drift-scan: not for an hour
            // when drill is due is the watch's own reckoning (from when it first saw the job), not this test's clock:
            // (CI under load: the test's clock + 4.2 s came before the watch's due time, and drill was still PENDING)
            java.util.regex.Matcher due = java.util.regex.Pattern
                    .compile("PENDING +drill +has not run yet; due by (\\S+)").matcher(first.stdout());
            assertTrue(due.find(), first.describe());
            Instant drillDue = Instant.parse(due.group(1));

            // a target that cannot be scanned: exit 4, twice in a row (failAfter defaults to 2)
            for (int i = 0; i < 2; i++) {
                dist.run(root, Map.of(), null, Proc.DEFAULT_TIMEOUT, "drift", "scan", "--checkout", "missing@main",
                        "--state", root.resolve("state/drift.json").toString(), "--heartbeat-dir",
                        heartbeats.toString(), "--ping-url", ping).expectExit(4);
            }
            JsonNode rec = record("drift-scan");
            assertEquals(2, rec.path("consecutiveFailures").asInt(), rec.toString());
            assertEquals(List.of("/ping/drift-check/start", "/ping/drift-check/4", "/ping/drift-check/start",
                    "/ping/drift-check/4"), paths(receiver, "/ping/"));

            sleep(Duration.between(Instant.now(), drillDue.plusMillis(200)));
            Proc.Result r = watch(config, receiver).expectExit(3);
            assertTrue(r.stdout().contains("FAILING    drift-scan"), r.describe());
            assertTrue(r.stdout().contains("NEVER RAN  drill"), r.describe());
            List<String> titles = new ArrayList<>();
            for (AlertWebhook.Received a : alerts(receiver)) {
                titles.add(JSON.readTree(a.body()).path("title").asText());
            }
            assertEquals(List.of("gatekeeper watch: drift-scan failing", "gatekeeper watch: drill never ran"), titles);
        }
    }

    @Test
    void aRunStoppedBySigtermPingsFailAndIsRecordedAsStopped() throws Exception {
        try (AlertWebhook receiver = AlertWebhook.start()) {
            String ping = receiver.url().replace("/alerts/gatekeeper", "/ping/stabilize");
            List<String> cmd = List.of(Dist.launcher().toString(), "stabilize", "-C", checkout.toString(),
                    "--probe", "tcp:127.0.0.1:9", "--wait", "2m", "--heartbeat-dir", heartbeats.toString(),
                    "--ping-url", ping);
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile())
                    .redirectOutput(root.resolve("stabilize.out").toFile())
                    .redirectError(root.resolve("stabilize.err").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            try {
                long until = System.currentTimeMillis() + 60_000;
                while (paths(receiver, "/ping/").isEmpty() && System.currentTimeMillis() < until) {
                    sleep(Duration.ofMillis(100));
                }
                assertEquals(List.of("/ping/stabilize/start"), paths(receiver, "/ping/"));
                p.destroy(); // SIGTERM, as systemd stops a unit
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "stabilize should stop on SIGTERM");
            } finally {
                Proc.kill(p.toHandle());
            }
            assertEquals(List.of("/ping/stabilize/start", "/ping/stabilize/fail"), paths(receiver, "/ping/"),
                    Files.readString(root.resolve("stabilize.err")));
            JsonNode rec = record("stabilize");
            assertEquals(143, rec.path("lastExit").asInt(), rec.toString());
            assertTrue(rec.path("runningPid").isMissingNode(), rec.toString());
        }
    }

    private Path watchConfig(String jobs) throws IOException {
        Path config = root.resolve("watch.yaml");
        Files.writeString(config, "version: 1\nheartbeatDir: state/heartbeats\nstate: state/watch-state.json\n"
                + "notify: [webhook:WATCH_WEBHOOK]\n" + jobs, StandardCharsets.UTF_8);
        return config;
    }

    private Proc.Result watch(Path config, AlertWebhook receiver) {
        return dist.run(root, Map.of("WATCH_WEBHOOK", receiver.url()), null, Proc.DEFAULT_TIMEOUT, "watch",
                "--config", config.toString());
    }

    private Proc.Result driftScan(String ping) {
        return dist.run(root, Map.of(), null, Proc.DEFAULT_TIMEOUT, "drift", "scan", "--checkout",
                checkout + "@main", "--state", root.resolve("state/drift.json").toString(), "--heartbeat-dir",
                heartbeats.toString(), "--ping-url", ping);
    }

    private JsonNode record(String job) throws IOException {
        Path f = heartbeats.resolve(job + ".json");
        assertTrue(Files.isRegularFile(f), "no heartbeat record " + f);
        JsonNode n = JSON.readTree(f.toFile());
        assertNotNull(n.get("lastStart"), n.toString());
        return n;
    }

    private static List<AlertWebhook.Received> alerts(AlertWebhook receiver) {
        return receiver.received().stream().filter(r -> r.path().startsWith("/alerts/")).toList();
    }

    private static List<String> paths(AlertWebhook receiver, String prefix) {
        return receiver.received().stream().map(AlertWebhook.Received::path).filter(p -> p.startsWith(prefix))
                .toList();
    }

    private static void sleep(Duration d) {
        if (d.isNegative() || d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
