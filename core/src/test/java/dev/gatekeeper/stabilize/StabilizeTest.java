package dev.gatekeeper.stabilize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.gatekeeper.events.Event;
import dev.gatekeeper.events.EventLog;
import dev.gatekeeper.notify.NotifyEndpoint;
import dev.gatekeeper.outcome.Outcome;
import dev.gatekeeper.settings.SettingsException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stabilize itself on a real clone and server, with a clock that moves only when the run sleeps: no test waits for
 * a settle wait or a sample interval. The "service" is a file the deploy writes from the server's main; the probe
 * reads it, so a revert that lands and is deployed heals it, as in production.
 */
class StabilizeTest {
    @TempDir
    Path tmp;

    private Branches b;
    private FakeTime time;
    private HttpServer alerts;
    private final List<String> received = Collections.synchronizedList(new ArrayList<>());

    /** A clock the sleeper moves. */
    static final class FakeTime extends Clock implements Sleeper {
        Instant now = Instant.parse("2025-06-01T12:00:00Z");
        final List<Duration> slept = new ArrayList<>();

        @Override
        public void sleep(Duration d) {
            slept.add(d);
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @BeforeEach
    void world() throws IOException {
        b = new Branches(tmp);
        time = new FakeTime();
        alerts = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        alerts.createContext("/hook", ex -> {
            received.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        alerts.start();
    }

    @AfterEach
    void stop() {
        alerts.stop(0);
    }

    private StabilizeSettings.Builder settings(String probe) {
        return StabilizeSettings.builder().directory(b.work).probes(List.of(probe))
                .set(StabilizeSettings.Key.WAIT, "60s").set(StabilizeSettings.Key.SAMPLES, "3")
                .set(StabilizeSettings.Key.INTERVAL, "5s").auditLog(tmp.resolve("events.jsonl"))
                .notify(List.of(new NotifyEndpoint("webhook", "http://127.0.0.1:" + alerts.getAddress().getPort()
                        + "/hook", "test")));
    }

    private Outcome<StabilizeReport> run(StabilizeSettings s) throws Exception {
        return new Stabilize(s).setEnv(b.git.env()).setClock(time).setSleeper(time).call();
    }

    private List<String> events() throws IOException {
        Path log = tmp.resolve("events.jsonl");
        if (!Files.exists(log)) {
            return List.of();
        }
        return new EventLog(log, 1 << 20, 2).readAll().events().stream().map(e -> e.type() + " " + e.decision())
                .toList();
    }

    /** The deploy: the service runs what the server's main holds. */
    private static final String DEPLOY = "git fetch -q origin main && git show FETCH_HEAD:app.conf > deployed.conf";
    private static final String PROBE = "cmd:grep -q mode=stable deployed.conf";

    @Test
    void aHealthyServiceSleepsTheSettleWaitAndTheIntervalsAndNothingElseHappens() throws Exception {
        Outcome<StabilizeReport> o = run(settings("cmd:true").build());
        assertEquals(StabilizeVerdict.HEALTHY, o.verdict());
        assertEquals("healthy: 3 sample(s), every probe passed", o.summary());
        assertEquals(List.of(Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(5)), time.slept);
        assertEquals(List.of("stabilize.start null", "probe.ok healthy"), events());
        assertNull(o.report().revert());
        assertEquals(b.head(), o.report().commit());
        assertTrue(received.isEmpty(), "nothing to tell");
    }

    @Test
    void aMergeThatBreaksTheServiceIsRevertedRedeployedConfirmedAndAnnounced() throws Exception {
        String merge = b.merge("feature", "app.conf", "mode=broken\nport=8080\n");
        Files.writeString(b.work.resolve("deployed.conf"), "mode=broken\n");
        Outcome<StabilizeReport> o = run(settings(PROBE).set(StabilizeSettings.Key.DEPLOY, DEPLOY)
                .set(StabilizeSettings.Key.CONFIRM_WAIT, "30s").build());
        assertEquals(StabilizeVerdict.RECOVERED, o.verdict(), o.summary());
        StabilizeReport r = o.report();
        assertEquals(merge, r.commit());
        assertEquals(r.revert(), b.serverMain(), "the revert is main on the server");
        assertEquals(b.gitRevertTree(tmp, merge, merge), b.tree(b.server, r.revert()), "git revert -m 1's tree");
        assertEquals(AutoRevert.Status.PUSHED, r.revertStatus());
        assertEquals(Analysis.Verdict.FAILED, r.probe());
        assertEquals(Analysis.Verdict.HEALTHY, r.afterRevert());
        assertEquals(0, r.deployExit());
        assertEquals(0L, r.thresholdToPushMs(), "the clock moves only when the run sleeps: none between the "
                + "failing verdict and the push");
        // the first sample failed (limit 0): the run stops sampling at once; after the deploy it waits confirmWait
        assertEquals(List.of(Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(5),
                Duration.ofSeconds(5)), time.slept);
        assertEquals(List.of("stabilize.start null", "probe.failed failed", "revert.pushed pushed", "deploy.ran ok",
                "recovery.confirmed recovered", "notify.sent sent"), events());
        assertEquals(1, received.size());
        assertTrue(received.get(0).contains("auto-reverted main: service recovered"), received.get(0));
    }

    @Test
    void aDryRunSaysItWouldRevertAndWritesNothing() throws Exception {
        String before = b.merge("feature", "app.conf", "mode=broken\nport=8080\n");
        Files.writeString(b.work.resolve("deployed.conf"), "mode=broken\n");
        Outcome<StabilizeReport> o = run(settings(PROBE).set(StabilizeSettings.Key.DEPLOY, DEPLOY)
                .set(StabilizeSettings.Key.DRY_RUN, "true").build());
        assertEquals(StabilizeVerdict.WOULD_REVERT, o.verdict(), o.summary());
        assertEquals(3, o.exitCode().code());
        assertEquals(before, b.serverMain(), "nothing pushed");
        assertEquals(List.of(), events(), "nothing written");
        assertTrue(received.isEmpty(), "nobody told");
        assertEquals(DEPLOY, o.report().wouldDeploy());
        assertTrue(o.report().wouldRevertMessage().startsWith("Auto-revert: cmd grep"), o.report().wouldRevertMessage());
    }

    @Test
    void errorsInARowHoldWhenToldAndNothingIsReverted() throws Exception {
        String merge = b.merge("feature", "app.conf", "mode=broken\nport=8080\n");
        Outcome<StabilizeReport> o = run(settings("cmd:sleep 5").set(StabilizeSettings.Key.PROBE_TIMEOUT, "100ms")
                .set(StabilizeSettings.Key.CONSECUTIVE_ERROR_LIMIT, "0")
                .set(StabilizeSettings.Key.HOLD_ON_ERRORS, "true").build());
        assertEquals(StabilizeVerdict.INCONCLUSIVE, o.verdict(), o.summary());
        assertTrue(o.summary().contains("holding on errors as configured (holdOnErrors)"), o.summary());
        assertEquals(merge, b.serverMain());
        assertEquals(List.of("stabilize.start null", "probe.inconclusive held", "notify.sent sent"), events());
    }

    @Test
    void aServiceStillFailingAfterTheRevertNeedsAHumanAndIsToldSo() throws Exception {
        b.merge("feature", "app.conf", "mode=broken\nport=8080\n");
        Outcome<StabilizeReport> o = run(settings("cmd:false").build());
        assertEquals(StabilizeVerdict.HUMAN_MUST_ACT, o.verdict(), o.summary());
        assertTrue(o.summary().startsWith("still failing after reverting"), o.summary());
        assertEquals(List.of("stabilize.start null", "probe.failed failed", "revert.pushed pushed",
                "recovery.failed failed", "notify.sent sent"), events());
        assertTrue(received.get(0).contains("\"critical\"") || received.get(0).contains("critical"), received.get(0));
    }

    @Test
    void aDeadNotificationEndpointIsAWarningAndTheVerdictStands() throws Exception {
        b.merge("feature", "app.conf", "mode=broken\nport=8080\n");
        alerts.stop(0);
        Outcome<StabilizeReport> o = run(settings("cmd:false").build());
        assertEquals(StabilizeVerdict.HUMAN_MUST_ACT, o.verdict());
        assertFalse(o.warnings().isEmpty());
        assertTrue(o.warnings().get(0).startsWith("could not notify"), o.warnings().toString());
        assertTrue(events().contains("notify.failed failed"), events().toString());
    }

    @Test
    void settingsThatDoNotFitTheCloneNameTheirSetting() throws Exception {
        SettingsException notAClone = assertThrows(SettingsException.class,
                () -> run(settings("cmd:true").directory(tmp.resolve("nowhere")).build()));
        assertEquals("dir", notAClone.problems().get(0).key());
        b.git.git(b.work, "checkout", "-q", "--detach");
        SettingsException detached = assertThrows(SettingsException.class, () -> run(settings("cmd:true").build()));
        assertEquals("branch", detached.problems().get(0).key());
        Outcome<StabilizeReport> named = run(settings("cmd:true").set(StabilizeSettings.Key.BRANCH, "main").build());
        assertEquals(StabilizeVerdict.HEALTHY, named.verdict());
        Event start = new EventLog(tmp.resolve("events.jsonl"), 1 << 20, 2).readAll().events().get(0);
        assertNotNull(start.details().get("run"));
        assertEquals(Instant.parse("2025-06-01T12:00:00Z"), start.time(), "events are dated by the injected clock");
    }
}
