package dev.gatekeeper.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.metrics.PrometheusTextfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitoredRunTest {
    @TempDir Path tmp;

    @Test
    void theCommandsExitCodeStandsWhenTheStoreThePingAndTheMetricsAllFail() throws IOException {
        Path notADir = tmp.resolve("file");
        Files.writeString(notADir, "x", StandardCharsets.UTF_8);
        List<String> warnings = new ArrayList<>();
        MonitoredRun.Settings s = new MonitoredRun.Settings("drift-scan", notADir.resolve("hb"),
                "http://127.0.0.1:9/ping", notADir.resolve("m.prom"));
        int exit = new MonitoredRun(s, warnings::add, Clock.systemUTC()).run(() -> 3, () -> MonitoredRun.Facts.NONE);
        assertEquals(3, exit);
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("heartbeat not recorded")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("ping start")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("ping 3") || w.contains("ping success")),
                warnings.toString());
    }

    @Test
    void aCommandWithoutFactsOrWhoseFactsFailStillKeepsItsExitCodeAndIsRecorded() throws IOException {
        MonitoredRun.Settings s = new MonitoredRun.Settings("verify-push", tmp.resolve("hb"), null,
                tmp.resolve("m.prom"));
        MonitoredRun run = new MonitoredRun(s, w -> { throw new AssertionError(w); }, Clock.systemUTC());
        assertEquals(2, run.run(() -> 2, () -> null));
        assertEquals(2, run.run(() -> 2, () -> { throw new IllegalStateException("no result"); }));
        assertEquals(2, new Heartbeats(tmp.resolve("hb")).read("verify-push").runs());
    }

    @Test
    void aRunIsRecordedAndItsMetricsWrittenFromTheSameRecord() throws IOException {
        Instant t = Instant.parse("2025-06-01T12:00:00Z");
        Path metrics = tmp.resolve("textfile/gk.prom");
        MonitoredRun.Settings s = new MonitoredRun.Settings("stabilize-app", tmp.resolve("hb"), null, metrics);
        int exit = new MonitoredRun(s, w -> { throw new AssertionError(w); }, Clock.fixed(t, ZoneOffset.UTC))
                .run(() -> 5, () -> new MonitoredRun.Facts("recovered", Map.of(), List.of(tmp.resolve("none.jsonl"))));
        assertEquals(5, exit);
        JobRecord r = new Heartbeats(tmp.resolve("hb")).read("stabilize-app");
        assertEquals(5, r.lastExit());
        assertNull(r.runningPid());
        assertEquals("recovered", r.lastSummary());
        assertEquals(PrometheusTextfile.render(r), Files.readString(metrics, StandardCharsets.UTF_8));
    }

    @Test
    void settingsRecordScheduledCommandsByDefaultAndOthersWhenAsked() {
        Map<String, String> env = Map.of("GATEKEEPER_HEARTBEAT_DIR", "/hb");
        assertEquals(Path.of("/hb"), MonitoredRun.Settings.of("drift-scan", true, null, null, false, null, null, env)
                .heartbeatDir());
        assertNull(MonitoredRun.Settings.of("events-tail", false, null, null, false, null, null, env).heartbeatDir());
        assertEquals(Path.of("/hb"), MonitoredRun.Settings.of("events-tail", false, "nightly", null, false, null,
                null, env).heartbeatDir());
        assertEquals(Path.of("/hb"), MonitoredRun.Settings.of("policy-check", false, null, null, false, null,
                Path.of("/m.prom"), env).heartbeatDir(), "metrics add up in the store");
        assertNull(MonitoredRun.Settings.of("drift-scan", true, null, null, true, null, null, env).heartbeatDir());
        assertThrows(IllegalArgumentException.class, () -> MonitoredRun.Settings.of("drift-scan", true, null, null,
                true, null, Path.of("/m.prom"), env));
        assertThrows(IllegalArgumentException.class, () -> MonitoredRun.Settings.of("drift-scan", true, "a b", null,
                false, null, null, env));
    }
}
