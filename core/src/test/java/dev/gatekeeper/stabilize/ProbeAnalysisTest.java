package dev.gatekeeper.stabilize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Probes and the Argo-style judgement against real HTTP servers on 127.0.0.1. */
class ProbeAnalysisTest {
    private static final SamplingPlan QUICK = new SamplingPlan(4, Duration.ofMillis(20), 0, 4);

    private HttpServer server;
    private final AtomicInteger hits = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        route("/healthy", 200, "{\"status\":\"UP\",\"checks\":{\"db\":\"ok\"}}");
        route("/broken", 500, "boom");
        server.createContext("/slow", ex -> {
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.createContext("/flapping", ex -> {
            int n = hits.incrementAndGet();
            ex.sendResponseHeaders(n % 2 == 0 ? 503 : 200, -1);
            ex.close();
        });
        server.start();
    }

    private void route(String path, int status, String body) {
        server.createContext(path, ex -> {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static Analysis analyse(SamplingPlan plan, Probe... probes) throws InterruptedException {
        return new ProbeAnalysis().setProbes(List.of(probes)).setPlan(plan).call();
    }

    private Probe http(String spec) {
        return ProbeSpec.parse(spec).timeout(Duration.ofMillis(500)).open(null);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void healthyServiceIsHealthy() throws Exception {
        Analysis a = analyse(QUICK, http("http:GET:" + url("/healthy")));
        assertEquals(Analysis.Verdict.HEALTHY, a.verdict());
        assertEquals(4, a.samples());
    }

    @Test
    void a500IsAFailureAndStopsAtOnce() throws Exception {
        Analysis a = analyse(QUICK, http("http:" + url("/broken")));
        assertEquals(Analysis.Verdict.FAILED, a.verdict());
        assertEquals("HTTP 500 (expected 200-399)", a.reason());
        assertEquals(1, a.samples(), "no point in waiting out the other samples");
    }

    @Test
    void aRefusedConnectionIsAFailureAsForTcp() throws Exception {
        int port = freePort();
        Analysis a = analyse(new SamplingPlan(6, Duration.ZERO, 0, 4), http("http:http://127.0.0.1:" + port + "/"));
        assertEquals(Analysis.Verdict.FAILED, a.verdict(), "nothing listens: the service is down");
        assertEquals("connection refused", a.reason());
        assertEquals(1, a.samples(), "fails at once with --failure-limit 0");
        Analysis tolerant = analyse(new SamplingPlan(3, Duration.ZERO, 2, 4),
                http("http:http://127.0.0.1:" + port + "/"));
        assertEquals(Analysis.Verdict.FAILED, tolerant.verdict(), "3 refusals past a failure limit of 2");
        assertEquals(3, tolerant.failures());
    }

    @Test
    void errorsInARowPastTheLimitAreAnErrorVerdictAndFewerAreInconclusive() throws Exception {
        Analysis a = analyse(new SamplingPlan(3, Duration.ZERO, 0, 1), http("http:" + url("/slow")));
        assertEquals(Analysis.Verdict.ERROR, a.verdict());
        assertEquals("timed out", a.reason());
        assertEquals(2, a.errors(), "stops when consecutive errors exceed the limit of 1");
        assertEquals("2 errors in a row (limit 1)", a.tally());
        // fewer errors than the limit and not one success: nothing to judge by, never healthy
        Analysis few = analyse(new SamplingPlan(1, Duration.ZERO, 0, 4), http("http:" + url("/slow")));
        assertEquals(Analysis.Verdict.INCONCLUSIVE, few.verdict());
    }

    @Test
    void aSlowServiceTimesOutAsAnError() throws Exception {
        Analysis a = analyse(new SamplingPlan(1, Duration.ZERO, 0, 0), http("http:" + url("/slow")));
        assertEquals(Analysis.Verdict.ERROR, a.verdict());
        assertEquals("timed out", a.reason());
    }

    @Test
    void flappingFailsUnlessTheFailureLimitAllowsIt() throws Exception {
        assertEquals(Analysis.Verdict.FAILED, analyse(QUICK, http("http:" + url("/flapping"))).verdict());
        hits.set(0);
        Analysis tolerant = analyse(new SamplingPlan(4, Duration.ofMillis(20), 2, 4), http("http:" + url("/flapping")));
        assertEquals(Analysis.Verdict.HEALTHY, tolerant.verdict());
        assertEquals(2, tolerant.failures());
    }

    @Test
    void bodyRegexAndJsonFieldAreChecked() throws Exception {
        Probe ok = ProbeSpec.parse("http:" + url("/healthy")).json("checks.db=ok").bodyRegex("\"UP\"")
                .open(null);
        assertEquals(Measurement.Kind.OK, ok.measure().kind());
        Measurement wrong = ProbeSpec.parse("http:" + url("/healthy")).json("status=DOWN").open(null)
                .measure();
        assertEquals(Measurement.Kind.FAILURE, wrong.kind());
        assertEquals("HTTP 200 but status is 'UP' (expected 'DOWN')", wrong.detail());
        Measurement status = ProbeSpec.parse("http:" + url("/healthy")).status("204").open(null).measure();
        assertEquals(Measurement.Kind.FAILURE, status.kind());
    }

    @Test
    void headersAreSentWithTheirValues() throws Exception {
        server.createContext("/auth", ex -> {
            String h = ex.getRequestHeaders().getFirst("Authorization");
            ex.sendResponseHeaders("Bearer s3cret".equals(h) ? 200 : 401, -1);
            ex.close();
        });
        ProbeSpec spec = ProbeSpec.parse("http:" + url("/auth")).header("Authorization", "Bearer s3cret");
        assertEquals(Measurement.Kind.OK, spec.open(null).measure().kind());
        assertEquals(Measurement.Kind.FAILURE, ProbeSpec.parse("http:" + url("/auth")).open(null).measure().kind());
        assertFalse(spec.toString().contains("s3cret"), "a header's value is a secret: " + spec);
    }

    @Test
    void tcpAndCommandProbes() throws Exception {
        assertEquals(Measurement.Kind.OK, ProbeSpec.parse("tcp:127.0.0.1:" + server.getAddress().getPort())
                .open(null).measure().kind());
        assertEquals(Measurement.Kind.FAILURE, ProbeSpec.parse("tcp:127.0.0.1:" + freePort()).open(null)
                .measure().kind());
        assertEquals(Measurement.Kind.OK, ProbeSpec.parse("cmd:true").open(null).measure().kind());
        Measurement failed = ProbeSpec.parse("cmd:echo not ready; exit 3").open(null).measure();
        assertEquals(Measurement.Kind.FAILURE, failed.kind());
        assertEquals("exit 3: not ready", failed.detail());
        assertEquals(Measurement.Kind.ERROR, ProbeSpec.parse("cmd:sleep 5").timeout(Duration.ofMillis(200))
                .open(null).measure().kind());
    }

    @Test
    void specsAreCheckedWhenParsed() {
        assertEquals("http GET http://127.0.0.1:8080/health",
                ProbeSpec.parse("http:GET:http://127.0.0.1:8080/health?key=secret").open(null).name());
        assertThrows(IllegalArgumentException.class, () -> ProbeSpec.parse("http:GET:not a url"));
        assertThrows(IllegalArgumentException.class, () -> ProbeSpec.parse("tcp:nohostport"));
        assertThrows(IllegalArgumentException.class, () -> ProbeSpec.parse("ftp:x"));
        assertThrows(IllegalArgumentException.class, () -> ProbeSpec.parse("cmd:"));
    }
}
