package dev.gatekeeper.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hudson.AbortException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriftScanStepTest {
    @TempDir
    Path tmp;
    Repos repos;
    Path ws;
    Path deployed;

    /** A job workspace holding a deployed checkout of the server's main. */
    @BeforeEach
    void deployedCheckout() throws Exception {
        repos = new Repos(tmp);
        ws = Files.createDirectories(tmp.resolve("job-workspace"));
        deployed = repos.git.clone(repos.server.toUri().toString(), ws.resolve("deploy"));
    }

    private DriftScanStep step() {
        DriftScanStep s = new DriftScanStep();
        Checkout deploy = new Checkout("deploy");
        deploy.setBranch("main");
        s.setCheckouts(List.of(deploy));
        s.setStateFile("state/drift-state.json");
        return s;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> run(FakeStepContext ctx, DriftScanStep s) throws Exception {
        return (Map<String, Object>) ctx.run(s);
    }

    private FakeStepContext context() throws Exception {
        return new FakeStepContext(ws, repos.git.env());
    }

    @Test
    void aCleanCheckoutIsCleanAndTheReportIsWritten() throws Exception {
        FakeStepContext ctx = context();
        Map<String, Object> r = run(ctx, step());

        assertEquals("clean", r.get("verdict"));
        assertEquals(0, r.get("exitCode"));
        assertEquals(0, r.get("driftCount"));
        assertEquals(1, r.get("targets"));
        assertEquals("gatekeeper-drift-report.json", r.get("reportFile"));
        JsonNode report = new ObjectMapper().readTree(ws.resolve("gatekeeper-drift-report.json").toFile());
        assertTrue(report.toString().contains(deployed.toString()), report.toString());
        assertTrue(ctx.log().contains("[gatekeeper] drift scan: no drift in 1 target(s)"), ctx.log());
    }

    @Test
    void aDirtyCheckoutIsDriftReturnedWithPropagateFalse() throws Exception {
        Files.writeString(deployed.resolve("hotfix.txt"), "edited on the server\n");
        DriftScanStep s = step();
        s.setPropagate(false);
        s.setReportFile("reports/drift.json");
        FakeStepContext ctx = context();

        Map<String, Object> r = run(ctx, s);

        assertEquals("drift", r.get("verdict"));
        assertEquals(3, r.get("exitCode"));
        assertEquals(1, r.get("driftCount"));
        assertEquals("reports/drift.json", r.get("reportFile"));
        String json = Files.readString(ws.resolve("reports/drift.json"));
        assertTrue(json.contains("dirty"), json);
        assertTrue(ctx.log().contains("[gatekeeper] DRIFT  checkout:" + deployed), ctx.log());
        assertTrue(ctx.log().contains("[gatekeeper]   dirty working tree: "), ctx.log());
    }

    @Test
    void newDriftIsAlertedToTheWebhookFromCredentialsWhoseUrlIsNeverLogged() throws Exception {
        Files.writeString(deployed.resolve("hotfix.txt"), "edited on the server\n");
        try (HealthServer hook = new HealthServer(true, tmp.resolve("unused"))) {
            dev.gatekeeper.jenkins.stubs.StubCredentials.put("ops-webhook", hook.url("/alerts/T0-s3cr3t"));
            DriftScanStep s = step();
            s.setAlertWebhookCredentialsId("ops-webhook");
            s.setPropagate(false);
            FakeStepContext ctx = context();

            assertEquals("drift", run(ctx, s).get("verdict"));

            assertEquals(1, hook.posts.size(), hook.posts.toString());
            assertTrue(hook.posts.get(0).startsWith("/alerts/T0-s3cr3t ") && hook.posts.get(0).contains("dirty"),
                    hook.posts.toString());
            assertTrue(!ctx.log().contains("s3cr3t"), ctx.log());
        } finally {
            dev.gatekeeper.jenkins.stubs.StubCredentials.clear();
        }
    }

    @Test
    void driftFailsTheBuildByDefaultAfterWritingTheReport() throws Exception {
        Files.writeString(deployed.resolve("hotfix.txt"), "edited on the server\n");
        AbortException e = assertThrows(AbortException.class, () -> run(context(), step()));
        assertEquals("gatekeeperDriftScan: drift found: 1 finding(s) in 1 of 1 target(s) (exit 3)", e.getMessage());
        assertTrue(Files.exists(ws.resolve("gatekeeper-drift-report.json")), "there for archiveArtifacts in post");
    }

    @Test
    void targetsComeFromADriftYamlInTheWorkspace() throws Exception {
        Files.writeString(ws.resolve("drift.yaml"), "version: 1\ntargets:\n  - checkout: deploy\n    branch: main\n"
                + "  - bare: ../app.git\n");
        DriftScanStep s = new DriftScanStep();
        s.setConfig("drift.yaml");
        s.setStateFile("state.json");
        s.setPropagate(false);
        Map<String, Object> r = run(context(), s);
        assertEquals(2, r.get("targets"), r.toString());
    }

    @Test
    void settingsErrorsFailEvenWithPropagateFalse() throws Exception {
        DriftScanStep shard = step();
        IllegalArgumentException configured = assertThrows(IllegalArgumentException.class,
                () -> shard.setShard("5/4"));
        assertEquals("shard: invalid value '5/4' (allowed: I/N with 1 <= I <= N, e.g. 1/4)", configured.getMessage(),
                "checked when the step is configured, not on the agent");
        assertThrows(IllegalArgumentException.class, () -> shard.setParallel(0));
        assertThrows(IllegalArgumentException.class, () -> shard.setGithubApiUrl("ghe.example.com"));

        DriftScanStep badConfig = step();
        Files.writeString(ws.resolve("bad-drift.yaml"), "version: 1\ntargets: []\nx: 1\n");
        badConfig.setConfig("bad-drift.yaml");
        badConfig.setPropagate(false);
        AbortException e = assertThrows(AbortException.class, () -> run(context(), badConfig));
        assertTrue(e.getMessage().contains("bad-drift.yaml:3:1: 'x': unknown key"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(exit 2)"), e.getMessage());

        DriftScanStep none = new DriftScanStep();
        none.setPropagate(false);
        AbortException e2 = assertThrows(AbortException.class, () -> run(context(), none));
        assertTrue(e2.getMessage().startsWith("gatekeeperDriftScan: no targets to scan"), e2.getMessage());
    }
}
