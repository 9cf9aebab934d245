package dev.gatekeeper.watch;

import dev.gatekeeper.events.EventType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.events.Event;
import dev.gatekeeper.events.EventLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeartbeatsTest {
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

    @TempDir Path tmp;

    @Test
    void aRunIsRecordedFromStartToEndWithItsExitCodeAndFindings() throws IOException {
        Heartbeats hb = new Heartbeats(tmp.resolve("hb"));
        assertNull(hb.read("drift-scan"));
        JobRecord started = hb.started("drift-scan", T0, 4242);
        assertEquals(4242L, started.runningPid());
        hb.update("drift-scan", r -> r.withEnd(T0, T0.plusMillis(1500), 3, "drift found", Map.of("dirty", 2L)));
        JobRecord r = hb.read("drift-scan");
        assertNull(r.runningPid());
        assertEquals(3, r.lastExit());
        assertEquals(1500L, r.lastDurationMillis());
        assertEquals(T0.plusMillis(1500), r.lastSuccess(), "drift found is the check working");
        assertEquals(Map.of("dirty", 2L), r.findings());
        hb.update("drift-scan", x -> x.withEnd(T0.plusSeconds(10), T0.plusSeconds(11), 4, "unreachable", null));
        hb.update("drift-scan", x -> x.withEnd(T0.plusSeconds(20), T0.plusSeconds(21), 2, "bad config", null));
        r = hb.read("drift-scan");
        assertEquals(2, r.consecutiveFailures());
        assertEquals(3, r.runs());
        assertEquals(2, r.failures());
        assertEquals(T0.plusMillis(1500), r.lastSuccess(), "failures do not move the last success");
        assertEquals(Map.of("dirty", 2L), r.findings(), "a run without findings keeps the last known ones");
        hb.update("drift-scan", x -> x.withEnd(T0.plusSeconds(30), T0.plusSeconds(31), 0, "clean", Map.of()));
        assertEquals(0, hb.read("drift-scan").consecutiveFailures());
    }

    @Test
    void whatWorkedIsExitZeroThreeOrFive() {
        List<Integer> worked = new ArrayList<>();
        for (int code = 0; code <= 7; code++) {
            if (JobRecord.worked(code)) {
                worked.add(code);
            }
        }
        assertEquals(List.of(0, 3, 5), worked);
        assertTrue(!JobRecord.worked(143), "stopped by a signal");
    }

    @Test
    void overlappingRunsOfManyProcessesLoseNoRun() throws Exception {
        Heartbeats hb = new Heartbeats(tmp.resolve("hb"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            fs.add(pool.submit(() -> {
                hb.started("verify-push", T0.plusSeconds(n), n);
                return hb.update("verify-push", r -> r.withEnd(T0.plusSeconds(n), T0.plusSeconds(n + 1), n % 2 == 0
                        ? 0 : 6, null, null));
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        JobRecord r = hb.read("verify-push");
        assertEquals(200, r.runs());
        assertEquals(100, r.failures());
        assertEquals(T0.plusSeconds(199), r.lastStart());
        try (var s = Files.list(tmp.resolve("hb"))) {
            assertEquals(List.of("verify-push.json", "verify-push.json.lock"),
                    s.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file left behind");
        }
    }

    @Test
    void aDamagedRecordIsReportedByReadAndReplacedByTheNextRun() throws IOException {
        Heartbeats hb = new Heartbeats(tmp);
        Files.writeString(tmp.resolve("drill.json"), "{\"version\":1,\"job\":\"drill\",\"lastSta", StandardCharsets.UTF_8);
        IOException e = assertThrows(IOException.class, () -> hb.read("drill"));
        assertTrue(e.getMessage().contains("drill.json"), e.getMessage());
        assertTrue(hb.readAll().get("drill") instanceof String, "watch sees it as unreadable");
        hb.started("drill", T0, 1);
        assertEquals(T0, hb.read("drill").lastStart());
    }

    @Test
    void jobNamesAreFileNamesAndLabelValues() {
        for (String bad : List.of("", "../etc", "a b", "a/b", "-x", "x".repeat(65))) {
            assertThrows(IllegalArgumentException.class, () -> Heartbeats.checkJobName(bad), bad);
        }
        Heartbeats.checkJobName("stabilize-app.prod_1");
    }

    @Test
    void theDefaultFolderFollowsTheEnvironment() {
        assertEquals(Path.of("/x/hb"), Heartbeats.defaultDir(Map.of("GATEKEEPER_HEARTBEAT_DIR", "/x/hb",
                "XDG_STATE_HOME", "/s")));
        assertEquals(Path.of("/s/gatekeeper/heartbeats"), Heartbeats.defaultDir(Map.of("XDG_STATE_HOME", "/s")));
        assertEquals(Path.of("/home/u/.local/state/gatekeeper/heartbeats"),
                Heartbeats.defaultDir(Map.of("HOME", "/home/u")));
    }

    @Test
    void countersCountEachEventOnceAcrossRunsAndRotation() throws IOException {
        Path logFile = tmp.resolve("events.jsonl");
        EventLog log = new EventLog(logFile, 600, 3); // a few events per file: it rotates under the counter
        Map<String, Long> totals = Map.of();
        Map<String, JobRecord.EventMark> marks = Map.of();
        long refused = 0;
        long glass = 0;
        java.util.Random rnd = new java.util.Random(7);
        for (int run = 0; run < 30; run++) {
            int n = rnd.nextInt(4);
            for (int i = 0; i < n; i++) {
                boolean r = rnd.nextInt(3) > 0;
                log.append(Event.of(r ? EventType.PUSH_REFUSED : EventType.PUSH_BREAK_GLASS).time(T0.plusSeconds(run * 100L + i))
                        .repository("app").ref("refs/heads/main").build());
                refused += r ? 1 : 0;
                glass += r ? 0 : 1;
            }
            EventCounter.Counted c = EventCounter.count(List.of(logFile), totals, marks);
            totals = c.totals();
            marks = c.marks();
            assertEquals(refused, totals.get("push_refusals"), "run " + run);
            assertEquals(glass, totals.get("break_glass_uses"), "run " + run);
        }
        assertTrue(log.files().size() > 1, "the log rotated during the test");
    }

    @Test
    void anEventAppendedLateWithAnOlderTimeIsStillCountedOnce() throws IOException {
        Path logFile = tmp.resolve("events.jsonl");
        EventLog log = new EventLog(logFile, 1 << 20, 3);
        log.append(Event.of(EventType.PUSH_REFUSED).time(T0.plusSeconds(10)).build());
        EventCounter.Counted c = EventCounter.count(List.of(logFile), Map.of(), Map.of());
        // a concurrent writer's event, dated before the newest one counted, lands after the count
        log.append(Event.of(EventType.PUSH_REFUSED).time(T0.plusSeconds(9)).build());
        c = EventCounter.count(List.of(logFile), c.totals(), c.marks());
        assertEquals(2L, c.totals().get("push_refusals"));
        c = EventCounter.count(List.of(logFile), c.totals(), c.marks());
        assertEquals(2L, c.totals().get("push_refusals"));
    }
}
