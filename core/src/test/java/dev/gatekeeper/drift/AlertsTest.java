package dev.gatekeeper.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertsTest {
    @TempDir Path tmp;

    @Test
    void oneAlertPerNewDriftADailyReminderAndResolved() throws Exception {
        DriftWorld w = new DriftWorld(tmp);
        DriftWorld.Recording sent = new DriftWorld.Recording();
        Target t = Target.checkout(w.prod.toString(), "main", null);
        Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
        DriftWorld.write(w.prod.resolve("seed.txt"), "edited\n");

        w.scan(t).setNotifier(sent).setClock(Clock.fixed(t0, ZoneOffset.UTC)).call();
        w.scan(t).setNotifier(sent).setClock(Clock.fixed(t0.plus(Duration.ofHours(1)), ZoneOffset.UTC)).call();
        assertEquals(1, sent.sent.size(), "two scans, one alert");
        assertEquals("critical", sent.sent.get(0).severity());

        w.scan(t).setNotifier(sent).setClock(Clock.fixed(t0.plus(Duration.ofHours(25)), ZoneOffset.UTC)).call();
        assertEquals(2, sent.sent.size());
        assertTrue(sent.sent.get(1).title().startsWith("drift still there"));

        Files.delete(w.prod.resolve("seed.txt"));
        w.git.git(w.prod, "checkout", "-q", "--", "seed.txt");
        w.scan(t).setNotifier(sent).setClock(Clock.fixed(t0.plus(Duration.ofHours(26)), ZoneOffset.UTC)).call();
        assertEquals(3, sent.sent.size());
        assertTrue(sent.sent.get(2).title().startsWith("drift resolved"), sent.sent.get(2).title());
        w.scan(t).setNotifier(sent).setClock(Clock.fixed(t0.plus(Duration.ofHours(27)), ZoneOffset.UTC)).call();
        assertEquals(3, sent.sent.size(), "resolved once");
    }

    @Test
    void aFailedSendIsRetriedNextRun() throws Exception {
        DriftWorld w = new DriftWorld(tmp);
        Target t = Target.checkout(w.prod.toString(), "main", null);
        DriftWorld.write(w.prod.resolve("seed.txt"), "edited\n");
        dev.gatekeeper.notify.Notifier broken = new dev.gatekeeper.notify.Notifier() {
            @Override
            public void send(dev.gatekeeper.notify.Alert alert) throws java.io.IOException {
                throw new java.io.IOException("down");
            }

            @Override
            public String describe() {
                return "broken";
            }
        };
        DriftScan.Report r = w.scan(t).setNotifier(broken).call();
        assertTrue(r.problems().get(0).contains("down"));
        DriftWorld.Recording sent = new DriftWorld.Recording();
        w.scan(t).setNotifier(sent).call();
        assertEquals(1, sent.sent.size());
    }
}
