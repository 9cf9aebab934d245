package dev.gatekeeper.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.jenkins.stubs.StubCredentials;
import hudson.AbortException;
import hudson.util.FormValidation;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watch the watchers, the Jenkins steps' part: an hourly {@code cron('H * * * *')} job that stops being triggered is
 * silent, so each step pings a ping service (Healthchecks' convention, core's MonitoredRun, on the agent around the
 * core call) whose check URL comes from Secret text credentials ({@code pingUrlCredentialsId}): the URL is a
 * secret, never logged. A real HTTP service on 127.0.0.1 here; one that is down changes nothing but a warning.
 */
class PingStepTest {
    @TempDir
    Path tmp;
    Repos repos;
    HealthServer pings;
    String uuid;

    @BeforeEach
    void pingService() throws Exception {
        StubCredentials.clear();
        repos = new Repos(tmp);
        pings = new HealthServer(true, tmp.resolve("unused"));
        uuid = UUID.randomUUID().toString();
        StubCredentials.put("hc-ping", pings.url("/" + uuid));
    }

    @AfterEach
    void stop() {
        pings.close();
        StubCredentials.clear();
    }

    private List<String> paths() {
        return pings.posts.stream().map(p -> p.split(" ", 2)[0]).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> run(FakeStepContext ctx, Object step) throws Exception {
        return (Map<String, Object>) ctx.run((org.jenkinsci.plugins.workflow.steps.Step) step);
    }

    @Test
    void anHourlyDriftScanPingsStartThenSuccessAndNeverLogsTheCheckUrl() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("job-workspace"));
        repos.git.clone(repos.server.toUri().toString(), ws.resolve("deploy"));
        DriftScanStep s = new DriftScanStep();
        Checkout deploy = new Checkout("deploy");
        deploy.setBranch("main");
        s.setCheckouts(List.of(deploy));
        s.setStateFile("state/drift-state.json");
        s.setPingUrlCredentialsId("hc-ping");
        FakeStepContext ctx = new FakeStepContext(ws, repos.git.env());

        assertEquals("clean", run(ctx, s).get("verdict"));

        assertEquals(List.of("/" + uuid + "/start", "/" + uuid), paths(), pings.posts.toString());
        assertTrue(pings.posts.get(1).contains("gatekeeper drift-scan: exit 0"), pings.posts.toString());
        assertFalse(ctx.log().contains(uuid), ctx.log());
        assertEquals(1, StubCredentials.trackedCredentials().size(), "the use is recorded on the build");
    }

    @Test
    void stabilizePingsUnderTheJobNameGiven() throws Exception {
        try (HealthServer service = new HealthServer(true, tmp.resolve("fixed"))) {
            StabilizeStep s = new StabilizeStep(List.of(new Probe("http:" + service.url("/health"))));
            s.setBranch("main");
            s.setWait("0s");
            s.setSamples(1);
            s.setInterval("0s");
            s.setPingUrlCredentialsId("hc-ping");
            s.setJob("stabilize-app");
            FakeStepContext ctx = repos.context();

            assertEquals("healthy", run(ctx, s).get("verdict"));

            assertEquals(List.of("/" + uuid + "/start", "/" + uuid), paths(), pings.posts.toString());
            assertTrue(pings.posts.get(1).contains("gatekeeper stabilize-app: exit 0"), pings.posts.toString());
            assertFalse(ctx.log().contains(uuid), ctx.log());
        }
    }

    @Test
    void aRunThatDidNotWorkIsPingedWithItsExitCodeAndStillFailsTheBuild() throws Exception {
        VerifyPushStep step = new VerifyPushStep("main");
        step.setExpect("no-such-revision"); // only the agent can tell: exit 2
        step.setPropagate(false);
        step.setPingUrlCredentialsId("hc-ping");
        AbortException e = assertThrows(AbortException.class, () -> repos.context().run(step));
        assertTrue(e.getMessage().endsWith("(exit 2)"), e.getMessage());
        assertEquals(List.of("/" + uuid + "/start", "/" + uuid + "/2"), paths(), pings.posts.toString());
    }

    @Test
    void aPingServiceThatIsDownIsAWarningAndTheResultStands() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        StubCredentials.put("hc-down", "http://127.0.0.1:" + port + "/" + uuid);
        Map<String, Object> without = run(repos.context(), new VerifyPushStep("main"));
        VerifyPushStep step = new VerifyPushStep("main");
        step.setPingUrlCredentialsId("hc-down");
        FakeStepContext ctx = repos.context();

        Map<String, Object> with = run(ctx, step);

        assertEquals(comparable(without), comparable(with));
        assertEquals("verified", with.get("verdict"));
        assertTrue(ctx.log().contains("warning: ping start to http://127.0.0.1:" + port + " failed"), ctx.log());
        assertTrue(ctx.log().contains("warning: ping success to http://127.0.0.1:" + port + " failed"), ctx.log());
        assertFalse(ctx.log().contains(uuid), ctx.log());
    }

    /** A result without what differs between any two runs: the event's id, the time the read took. */
    private static Map<String, Object> comparable(Map<String, Object> r) {
        Map<String, Object> m = new java.util.TreeMap<>(r);
        m.remove("eventId");
        m.put("reason", r.get("reason").toString().replaceAll(" \\[.*\\]$", ""));
        return m;
    }

    @Test
    void aBadJobNameIsRefusedWhenConfigured() {
        for (StepWithJob s : List.<StepWithJob>of(new VerifyPushStep("main")::setJob, new DriftScanStep()::setJob,
                new StabilizeStep(List.of(new Probe("tcp:db:5432")))::setJob)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.set("nightly scan"));
            assertTrue(e.getMessage().startsWith("job name 'nightly scan'"), e.getMessage());
            s.set("nightly-scan");
            s.set(" ");
        }
        FormValidation v = new DriftScanStep.DescriptorImpl().doCheckJob("nightly scan");
        assertEquals(FormValidation.Kind.ERROR, v.kind);
        assertEquals(FormValidation.Kind.OK, new DriftScanStep.DescriptorImpl().doCheckJob("drift-hourly").kind);
    }

    private interface StepWithJob {
        void set(String job);
    }
}
