package dev.gatekeeper.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.notify.Alert;
import dev.gatekeeper.notify.Notifier;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchTest {
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    private static final WatchConfig.Job HOURLY = new WatchConfig.Job("drift-scan", Duration.ofHours(1),
            Duration.ofMinutes(15), 2);

    @TempDir Path tmp;

    /** A notifier that keeps what it was sent, and fails while told to. */
    static final class Inbox implements Notifier {
        final List<Alert> got = new ArrayList<>();
        boolean down;

        @Override
        public void send(Alert alert) throws IOException {
            if (down) {
                throw new IOException("answered HTTP 503");
            }
            got.add(alert);
        }

        @Override
        public String describe() {
            return "inbox";
        }
    }

    private Watch.Report watchAt(Instant now, Inbox inbox, WatchConfig.Job... jobs) {
        WatchConfig c = new WatchConfig(tmp.resolve("hb"), null, Duration.ofDays(1), List.of(), List.of(jobs));
        try {
            return new Watch(c, new Heartbeats(tmp.resolve("hb")), tmp.resolve("watch-state.json"), List.of(inbox),
                    Clock.fixed(now, ZoneOffset.UTC)).call();
        } catch (dev.gatekeeper.GatekeeperException e) {
            throw new AssertionError(e);
        }
    }

    private void ran(String job, Instant start, int exit) throws IOException {
        Heartbeats hb = new Heartbeats(tmp.resolve("hb"));
        hb.started(job, start, 1);
        hb.update(job, r -> r.withEnd(start, start.plusSeconds(30), exit, "exit " + exit, null));
    }

    @Test
    void overdueIsJudgedAgainstTheLastStartPlusPeriodPlusGraceForAnyClock() {
        Random rnd = new Random(17);
        for (int i = 0; i < 2000; i++) {
            Duration period = Duration.ofSeconds(1 + rnd.nextInt(7200));
            Duration grace = Duration.ofSeconds(rnd.nextInt(3600));
            WatchConfig.Job job = new WatchConfig.Job("j", period, grace, 1 + rnd.nextInt(3));
            Instant start = T0.plusSeconds(rnd.nextInt(100_000));
            Instant now = start.plusSeconds(rnd.nextInt(20_000));
            JobRecord r = JobRecord.empty("j").withStart(start, 1).withEnd(start, start.plusSeconds(1), 0, null, null);
            JobHealth h = JobHealth.judge(job, r, T0, now);
            boolean late = now.isAfter(start.plus(period).plus(grace));
            assertEquals(late ? JobHealth.Status.OVERDUE : JobHealth.Status.OK, h.status(),
                    "period " + period + " grace " + grace + " start " + start + " now " + now);
        }
    }

    @Test
    void aStoppedJobAlertsOnceThenDailyThenResolves() throws IOException {
        Inbox inbox = new Inbox();
        ran("drift-scan", T0, 0);
        assertEquals(ExitCode.OK, watchAt(T0.plus(Duration.ofMinutes(75)), inbox, HOURLY).exitCode(),
                "exactly at period + grace is not late yet");
        assertEquals(List.of(), inbox.got);
        Watch.Report late = watchAt(T0.plus(Duration.ofMinutes(75)).plusSeconds(1), inbox, HOURLY);
        assertEquals(ExitCode.REFUSED, late.exitCode());
        assertEquals(1, inbox.got.size());
        assertEquals("critical", inbox.got.get(0).severity());
        assertEquals("gatekeeper watch: drift-scan overdue", inbox.got.get(0).title());
        watchAt(T0.plus(Duration.ofHours(5)), inbox, HOURLY);
        assertEquals(1, inbox.got.size(), "no repeat within the day");
        watchAt(T0.plus(Duration.ofMinutes(75)).plusSeconds(1).plus(Duration.ofDays(1)), inbox, HOURLY);
        assertEquals(2, inbox.got.size());
        assertEquals("warning", inbox.got.get(1).severity());
        assertTrue(inbox.got.get(1).title().startsWith("gatekeeper watch: still overdue"), inbox.got.get(1).title());

        ran("drift-scan", T0.plus(Duration.ofDays(2)), 0);
        assertEquals(ExitCode.OK, watchAt(T0.plus(Duration.ofDays(2)).plusSeconds(60), inbox, HOURLY).exitCode());
        assertEquals(3, inbox.got.size());
        assertEquals("info", inbox.got.get(2).severity());
        watchAt(T0.plus(Duration.ofDays(2)).plusSeconds(120), inbox, HOURLY);
        assertEquals(3, inbox.got.size(), "resolved is said once");
    }

    @Test
    void failingAfterTwoBadRunsThenOverdueIsANewAlert() throws IOException {
        Inbox inbox = new Inbox();
        ran("drift-scan", T0, 4);
        assertEquals(ExitCode.OK, watchAt(T0.plusSeconds(60), inbox, HOURLY).exitCode(), "one bad run is not yet");
        ran("drift-scan", T0.plusSeconds(3600), 4);
        Watch.Report r = watchAt(T0.plusSeconds(3660), inbox, HOURLY);
        assertEquals(JobHealth.Status.FAILING, r.jobs().get(0).status());
        assertEquals("gatekeeper watch: drift-scan failing", inbox.got.get(0).title());
        // then it stops altogether: a different problem, told at once
        watchAt(T0.plusSeconds(3600).plus(Duration.ofMinutes(76)), inbox, HOURLY);
        assertEquals("gatekeeper watch: drift-scan overdue", inbox.got.get(1).title());
    }

    @Test
    void aJobNeverSeenIsPendingForOnePeriodPlusGraceThenNeverRan() {
        Inbox inbox = new Inbox();
        WatchConfig.Job drill = new WatchConfig.Job("drill", Duration.ofDays(7), Duration.ofDays(1), 2);
        assertEquals(JobHealth.Status.PENDING, watchAt(T0, inbox, drill).jobs().get(0).status());
        assertEquals(JobHealth.Status.PENDING, watchAt(T0.plus(Duration.ofDays(8)), inbox, drill).jobs().get(0)
                .status());
        Watch.Report r = watchAt(T0.plus(Duration.ofDays(8)).plusSeconds(1), inbox, drill);
        assertEquals(JobHealth.Status.NEVER_RAN, r.jobs().get(0).status());
        assertEquals("gatekeeper watch: drill never ran", inbox.got.get(0).title());
    }

    @Test
    void anAlertThatCannotBeDeliveredIsExitSixAndRetriedNextRun() throws IOException {
        Inbox inbox = new Inbox();
        ran("drift-scan", T0, 0);
        inbox.down = true;
        Watch.Report r = watchAt(T0.plus(Duration.ofHours(2)), inbox, HOURLY);
        assertEquals(ExitCode.ACTION_FAILED, r.exitCode());
        assertTrue(r.problems().get(0).contains("answered HTTP 503"), r.problems().toString());
        inbox.down = false;
        assertEquals(ExitCode.REFUSED, watchAt(T0.plus(Duration.ofHours(2)).plusSeconds(300), inbox, HOURLY)
                .exitCode());
        assertEquals(1, inbox.got.size(), "the retry delivered it");
    }
}
