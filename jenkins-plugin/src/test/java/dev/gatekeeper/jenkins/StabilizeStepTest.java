package dev.gatekeeper.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.jenkins.stubs.StubCredentials;
import dev.gatekeeper.token.Secret;
import dev.gatekeeper.token.TokenClaims;
import dev.gatekeeper.token.TokenCodec;
import hudson.AbortException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StabilizeStepTest {
    private static final String PIPELINE_SECRET = "pipeline-secret-0123456789abcdef";

    @TempDir
    Path tmp;
    Repos repos;
    String merged;

    @BeforeEach
    void deployedMerge() {
        StubCredentials.clear();
        repos = new Repos(tmp);
        merged = repos.git.commit(repos.workspace, "the merge under test");
        repos.git.git(repos.workspace, "push", "-q", "origin", "HEAD:main");
    }

    @AfterEach
    void forget() {
        StubCredentials.clear();
    }

    /** Fast settings: no stabilization wait, two samples 50 ms apart. */
    private StabilizeStep step(HealthServer service) {
        StabilizeStep s = new StabilizeStep(List.of(new Probe("http:" + service.url("/health"))));
        s.setBranch("main");
        s.setWait("0s");
        s.setConfirmWait("0s");
        s.setSamples(2);
        s.setInterval("50ms");
        s.setProbeTimeout("2s");
        return s;
    }

    @Test
    void aHealthyServiceIsLeftAlone() throws Exception {
        try (HealthServer service = new HealthServer(true, tmp.resolve("fixed"))) {
            FakeStepContext ctx = repos.context();
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) ctx.run(step(service));

            assertEquals("healthy", r.get("verdict"));
            assertEquals(0, r.get("exitCode"));
            assertEquals(merged, r.get("commit"));
            assertEquals("", r.get("revertSha"));
            assertTrue(ctx.log().contains("[gatekeeper] stabilize: healthy"), ctx.log());
            assertEquals(merged, repos.serverTip());
        }
    }

    @Test
    void aDryRunSaysItWouldRevertAndPushesNothing() throws Exception {
        try (HealthServer service = new HealthServer(false, tmp.resolve("fixed"))) {
            StabilizeStep s = step(service);
            s.setDryRun(true);
            FakeStepContext ctx = repos.context();

            AbortException e = assertThrows(AbortException.class, () -> ctx.run(s));

            assertTrue(e.getMessage().startsWith("gatekeeperStabilize: dry run: "), e.getMessage());
            assertTrue(e.getMessage().contains("would revert " + merged.substring(0, 7)), e.getMessage());
            assertTrue(e.getMessage().endsWith("(exit 3)"), e.getMessage());
            assertTrue(ctx.log().contains("[gatekeeper] stabilize: dry run: "), ctx.log());
            assertEquals(merged, repos.serverTip(), "a dry run pushes nothing");
        }
    }

    @Test
    void propagateFalseReturnsWouldRevertWithTheTip() throws Exception {
        try (HealthServer service = new HealthServer(false, tmp.resolve("fixed"))) {
            StabilizeStep s = step(service);
            s.setDryRun(true);
            s.setPropagate(false);

            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) repos.context().run(s);

            assertEquals("would-revert", r.get("verdict"));
            assertEquals(3, r.get("exitCode"));
            assertEquals(merged, r.get("branchTip"));
            assertEquals(merged, repos.serverTip());
        }
    }

    @Test
    void aBrokenMergeIsRevertedThroughTheGateRedeployedAndReported() throws Exception {
        Path options = repos.recordPushOptions(tmp.resolve("push-options.txt"));
        Path fixed = tmp.resolve("fixed");
        try (HealthServer service = new HealthServer(false, fixed)) {
            StubCredentials.put("gatekeeper-pipeline-secret", PIPELINE_SECRET);
            StubCredentials.put("slack-webhook", service.url("/slack/T000-s3cr3t-path"));
            StabilizeStep s = step(service);
            s.setDeploy("touch '" + fixed + "'");
            s.setTokenSecretCredentialsId("gatekeeper-pipeline-secret");
            s.setRepoName("app");
            s.setSlackCredentialsId("slack-webhook");
            s.setPropagate(false);
            FakeStepContext ctx = repos.context();

            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) ctx.run(s);

            assertEquals("recovered", r.get("verdict"), ctx.log());
            assertEquals(5, r.get("exitCode"));
            String revert = (String) r.get("revertSha");
            assertEquals(revert, repos.serverTip(), "the revert is on the server's main");
            assertNotEquals(merged, revert);
            assertEquals(merged, repos.git.git(repos.server, "rev-parse", revert + "^"));
            assertTrue(repos.git.git(repos.server, "log", "-1", "--format=%B", revert).contains(merged));

            // the revert push carried a pipeline token for exactly this repository, ref and commit
            List<String> pushed = Files.readAllLines(options, StandardCharsets.UTF_8);
            assertEquals(1, pushed.size(), pushed.toString());
            assertTrue(pushed.get(0).startsWith("gatekeeper-token="), pushed.toString());
            TokenClaims claims = TokenCodec.verify(pushed.get(0).substring("gatekeeper-token=".length()),
                    Secret.of(PIPELINE_SECRET.getBytes(StandardCharsets.UTF_8), "test"), TokenClaims.Kind.PIPELINE,
                    Instant.now(), Duration.ofHours(24));
            assertEquals("app", claims.repository());
            assertEquals("refs/heads/main", claims.ref());
            assertEquals(revert, claims.sha().orElseThrow());

            assertTrue(service.posts.stream().anyMatch(p -> p.startsWith("/slack/T000-s3cr3t-path ")),
                    service.posts.toString());
            String log = ctx.log();
            assertTrue(log.contains("[gatekeeper] stabilize: recovered: "), log);
            assertFalse(log.contains("s3cr3t-path") || log.contains(PIPELINE_SECRET), log);
            assertEquals(2, StubCredentials.trackedCredentials().size());
            assertEquals(List.of(), secretFiles(), "the secret reaches core as a value: no temporary file");
        }
    }

    @Test
    void holdOnErrorsHoldsWhenTheServiceAnswersNothing() throws Exception {
        // accepts connections (the kernel's backlog) and never answers: every probe times out, an ERROR
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            StabilizeStep s = new StabilizeStep(
                    List.of(new Probe("http:http://127.0.0.1:" + silent.getLocalPort() + "/health")));
            s.setBranch("main");
            s.setWait("0s");
            s.setSamples(2);
            s.setInterval("0s");
            s.setProbeTimeout("300ms");
            s.setConsecutiveErrorLimit(1);
            s.setHoldOnErrors(true);
            s.setPropagate(false);
            FakeStepContext ctx = repos.context();

            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) ctx.run(s);

            assertEquals("inconclusive", r.get("verdict"), ctx.log());
            assertEquals(4, r.get("exitCode"));
            assertTrue(((String) r.get("reason")).contains("holding on errors"), r.toString());
            assertEquals(merged, repos.serverTip(), "held: nothing reverted");
        }
    }

    @Test
    void badSettingsFailWhenTheStepIsConfiguredNotOnTheAgent() {
        StabilizeStep s = new StabilizeStep(List.of(new Probe("tcp:127.0.0.1:1")));
        IllegalArgumentException wait = assertThrows(IllegalArgumentException.class, () -> s.setWait("soon"));
        assertTrue(wait.getMessage().startsWith("wait: invalid value 'soon'"), wait.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.setBodyRegex("(unclosed"));
        assertThrows(IllegalArgumentException.class, () -> s.setJsonField("no equals sign"));
        assertThrows(IllegalArgumentException.class, () -> s.setDeployTimeout("0s"));
        assertThrows(IllegalArgumentException.class, () -> s.setMaxRevertsPerDay(0));
        assertThrows(IllegalArgumentException.class, () -> s.setSamples(0));
        assertThrows(IllegalArgumentException.class, () -> new ProbeHeader("Authorization", "not a variable"));
        s.setJsonField("status=UP");
        assertEquals("status=UP", s.getJsonField());
    }

    @Test
    void theSharedHttpChecksAndAHeaderFromTheBuildReachTheProbe() throws Exception {
        try (HealthServer service = new HealthServer(true, tmp.resolve("fixed"))) {
            StabilizeStep s = step(service);
            s.setHeaders(List.of(new ProbeHeader("Authorization", "HEALTH_TOKEN")));
            s.setBodyRegex("^ok$");
            s.setDeployTimeout("1m");
            Map<String, String> env = new java.util.HashMap<>(repos.git.env());
            env.put("HEALTH_TOKEN", "Bearer h3alth-t0ken"); // as withCredentials binds it
            FakeStepContext ctx = new FakeStepContext(repos.workspace, env);

            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) ctx.run(s);

            assertEquals("healthy", r.get("verdict"), ctx.log());
            assertTrue(service.headers.stream().allMatch("Bearer h3alth-t0ken"::equals) && !service.headers.isEmpty(),
                    service.headers.toString());
            assertFalse(ctx.log().contains("h3alth-t0ken"), ctx.log());

            StabilizeStep unset = step(service);
            unset.setHeaders(List.of(new ProbeHeader("Authorization", "NO_SUCH_VARIABLE")));
            unset.setPropagate(false);
            AbortException e = assertThrows(AbortException.class, () -> repos.context().run(unset));
            assertTrue(e.getMessage().contains("headers: $NO_SUCH_VARIABLE (header Authorization) is not set"),
                    e.getMessage());

            StabilizeStep wrongBody = step(service);
            wrongBody.setBodyRegex("no such body");
            wrongBody.setDryRun(true);
            wrongBody.setPropagate(false);
            @SuppressWarnings("unchecked")
            Map<String, Object> dry = (Map<String, Object>) repos.context().run(wrongBody);
            assertEquals("would-revert", dry.get("verdict"), "the shared body check reached the probe: " + dry);
            assertTrue(((String) dry.get("reason")).contains("no such body"), dry.toString());
        }
    }

    @Test
    void aProbeInAnUnknownFormIsRefusedWhenTheStepIsBuiltBeforeAnythingRuns() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Probe("ftp://nowhere"));
        assertTrue(e.getMessage().startsWith("'ftp://nowhere': expected http:"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Probe("tcp:db:5432").setBodyRegex("ok"),
                "an HTTP setting on a tcp probe");
        assertThrows(IllegalArgumentException.class, () -> new Probe("https://a/").setExpectStatus("2xx"));
        assertThrows(IllegalArgumentException.class, () -> new Probe("https://a/").setTimeout("soon"));
    }

    @Test
    void aProbesOwnBodyRegexJudgesTheAnswerOfAServiceThatIsUp() throws Exception {
        try (HealthServer service = new HealthServer(true, tmp.resolve("fixed"))) {
            Probe wantsAllGood = new Probe(service.url("/health"));
            wantsAllGood.setBodyRegex("all good");
            StabilizeStep s = step(service);
            s = withProbes(s, List.of(new Probe(service.url("/health")), wantsAllGood));
            s.setDryRun(true);
            s.setPropagate(false);
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) repos.context().run(s);

            assertEquals("would-revert", r.get("verdict"), r.toString());
            assertEquals(3, r.get("exitCode"));
            assertEquals(merged, repos.serverTip(), "a dry run pushes nothing");
        }
    }

    @Test
    void aProbesOwnExpectedStatusWinsOverTheStepsSharedOne() throws Exception {
        try (HealthServer service = new HealthServer(true, tmp.resolve("fixed"))) {
            StabilizeStep shared = step(service);
            shared.setExpectStatus("500");      // the healthy 200 fails every probe that keeps the shared range
            shared.setDryRun(true);
            shared.setPropagate(false);
            @SuppressWarnings("unchecked")
            Map<String, Object> failing = (Map<String, Object>) repos.context().run(shared);
            assertEquals("would-revert", failing.get("verdict"), failing.toString());

            Probe own = new Probe(service.url("/health"));
            own.setExpectStatus("200-299");
            StabilizeStep s = withProbes(shared, List.of(own));
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) repos.context().run(s);
            assertEquals("healthy", r.get("verdict"), r.toString());
        }
    }

    /** {@code s}'s settings with other probes (the probes are the step's constructor argument). */
    private static StabilizeStep withProbes(StabilizeStep s, List<Probe> probes) {
        StabilizeStep copy = new StabilizeStep(probes);
        copy.setBranch(s.getBranch());
        copy.setWait(s.getWait());
        copy.setConfirmWait(s.getConfirmWait());
        copy.setSamples(s.getSamples());
        copy.setInterval(s.getInterval());
        copy.setProbeTimeout(s.getProbeTimeout());
        copy.setExpectStatus(s.getExpectStatus());
        copy.setDryRun(s.isDryRun());
        copy.setPropagate(s.isPropagate());
        return copy;
    }

    private static List<Path> secretFiles() throws Exception {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("gatekeeper-pipeline")).sorted().toList();
        }
    }
}
