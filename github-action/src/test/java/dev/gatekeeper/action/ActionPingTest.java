package dev.gatekeeper.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watch the watchers, the Action's part: GitHub disables the scheduled workflows of a repository without activity
 * for 60 days and nothing notices, so a scheduled drift scan pings a ping service from its {@code args}
 * ({@code --ping-url}, the CLI's option, Healthchecks' convention), a real HTTP service on 127.0.0.1 here. A ping
 * service that is down is a warning: the exit code and the outputs stand. The check URL's path is its secret.
 */
class ActionPingTest {
    @TempDir
    Path tmp;
    /** The runner's plumbing and a real clone with its remote (ActionRunTest's). */
    ActionRunTest action;
    Path workspace;
    Path home;
    HttpServer server;
    final List<String> pings = new CopyOnWriteArrayList<>();
    String uuid;

    @BeforeEach
    void pingService() throws Exception {
        action = new ActionRunTest();
        action.tmp = tmp;
        action.repository();
        workspace = action.workspace;
        home = action.home;
        uuid = UUID.randomUUID().toString();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            pings.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + body);
            byte[] ok = "OK".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(ok);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    String pingUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + uuid;
    }

    String driftArgs() {
        return "--checkout '" + workspace + "@main' --state '" + tmp.resolve("state/drift.json") + "'";
    }

    ActionRunTest.Run run(Map<String, String> inputs) throws IOException {
        return action.run(inputs);
    }

    List<String> paths() {
        return pings.stream().map(p -> p.split(" ", 3)[1]).toList();
    }

    void assertSecretNotPrinted(ActionRunTest.Run r) throws IOException {
        for (String where : List.of(r.out(), r.err(), r.summary(), Files.readString(r.outputFile()))) {
            assertFalse(where.contains(uuid), "a ping URL's path is a secret:\n" + where);
        }
    }

    @Test
    void aScheduledDriftScanPingsStartThenSuccess() throws Exception {
        ActionRunTest.Run r = run(Map.of("INPUT_COMMAND", "drift-scan", "INPUT_ARGS",
                driftArgs() + " --ping-url " + pingUrl()));
        assertEquals(0, r.code(), r.toString());
        assertEquals("clean", r.outputs().get("verdict"));
        assertEquals(List.of("/" + uuid + "/start", "/" + uuid), paths(), pings.toString());
        assertTrue(pings.get(1).startsWith("POST /" + uuid + " gatekeeper drift-scan: exit 0"), pings.toString());
        assertSecretNotPrinted(r);
    }

    @Test
    void driftFoundIsARunThatWorkedAndTheJobNameIsTheOneGiven() throws Exception {
        Files.writeString(workspace.resolve("hotfix.txt"), "edited on the server\n");
        ActionRunTest.Run r = run(Map.of("INPUT_COMMAND", "drift-scan", "INPUT_ARGS",
                driftArgs() + " --ping-url=" + pingUrl() + " --job nightly-drift"));
        assertEquals(3, r.code(), r.toString());
        assertEquals(List.of("/" + uuid + "/start", "/" + uuid), paths(), "the scan did its job: it found drift");
        assertTrue(pings.get(1).contains("gatekeeper nightly-drift: exit 3"), pings.toString());
    }

    @Test
    void aBadSettingFoundWhenTheRunStartsIsPingedAsItsExitCode() throws Exception {
        // --parallel 0 parses as an option and fails as a setting: the run started and did not work (exit 2)
        ActionRunTest.Run r = run(Map.of("INPUT_COMMAND", "drift-scan", "INPUT_ARGS",
                driftArgs() + " --parallel 0 --ping-url " + pingUrl()));
        assertEquals(2, r.code(), r.toString());
        assertEquals("usage-error", r.outputs().get("verdict"));
        assertEquals(List.of("/" + uuid + "/start", "/" + uuid + "/2"), paths(), pings.toString());
    }

    @Test
    void stabilizeAndVerifyPushPingToo() throws Exception {
        ActionRunTest.Run s = run(Map.of("INPUT_COMMAND", "stabilize", "INPUT_ARGS",
                "--branch main --wait 0s --samples 1 --interval 0s --probe 'cmd:true' --ping-url " + pingUrl()));
        assertEquals(0, s.code(), s.toString());
        ActionRunTest.Run v = run(Map.of("INPUT_COMMAND", "verify-push", "INPUT_ARGS",
                "--timeout 1s --ping-url " + pingUrl()));
        assertEquals(0, v.code(), v.toString());
        assertEquals(List.of("/" + uuid + "/start", "/" + uuid, "/" + uuid + "/start", "/" + uuid), paths(),
                pings.toString());
        assertTrue(pings.get(1).contains("gatekeeper stabilize: exit 0"), pings.toString());
        assertTrue(pings.get(3).contains("gatekeeper verify-push: exit 0"), pings.toString());
        assertSecretNotPrinted(s);
        assertSecretNotPrinted(v);
    }

    @Test
    void aPingServiceThatIsDownIsAWarningAndChangesNeitherTheExitCodeNorTheOutputs() throws Exception {
        Files.writeString(workspace.resolve("hotfix.txt"), "edited on the server\n");
        ActionRunTest.Run without = run(Map.of("INPUT_COMMAND", "drift-scan", "INPUT_ARGS", driftArgs()));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        String down = "http://127.0.0.1:" + port + "/" + uuid;
        ActionRunTest.Run with = run(Map.of("INPUT_COMMAND", "drift-scan", "INPUT_ARGS",
                driftArgs() + " --ping-url " + down));

        assertEquals(3, without.code(), without.toString());
        assertEquals(without.code(), with.code(), with.toString());
        Map<String, String> a = new HashMap<>(without.outputs());
        Map<String, String> b = new HashMap<>(with.outputs());
        assertEquals(a, b, "the same outputs");
        List<String> warnings = with.out().lines().filter(l -> l.startsWith("::warning")).toList();
        assertTrue(warnings.stream().anyMatch(l -> l.contains("ping start to http://127.0.0.1:" + port + " failed")),
                with.out());
        assertTrue(warnings.stream().anyMatch(l -> l.contains("ping success to http://127.0.0.1:" + port + " failed")),
                with.out());
        assertSecretNotPrinted(with);
    }

    @Test
    void noHeartbeatIsRecordedInTheContainerButAMetricsFileIsWrittenWhereAsked() throws Exception {
        Path store = home.resolve(".local/state/gatekeeper/heartbeats");
        ActionRunTest.Run r = run(Map.of("INPUT_COMMAND", "drift-scan", "INPUT_ARGS",
                driftArgs() + " --job drift-hourly --ping-url " + pingUrl()));
        assertEquals(0, r.code(), r.toString());
        assertFalse(Files.exists(store), "a container's store is thrown away: nothing recorded by default");

        Files.writeString(workspace.resolve(".git/info/exclude"), "metrics/\n");
        ActionRunTest.Run m = run(Map.of("INPUT_COMMAND", "drift-scan", "INPUT_ARGS",
                driftArgs() + " --job drift-hourly --metrics-file metrics/drift.prom"));
        assertEquals(0, m.code(), m.toString());
        String prom = Files.readString(workspace.resolve("metrics/drift.prom"));
        assertTrue(prom.contains("gatekeeper_job_last_exit_code{job_name=\"drift-hourly\"} 0"), prom);
        assertTrue(prom.contains("gatekeeper_drift_findings{job_name=\"drift-hourly\",kind=\"dirty\"} 0"), prom);
    }

    @Test
    void monitoringOptionsAreCheckedAsTheCliChecksThem() throws Exception {
        ActionRunTest.Run r = run(Map.of("INPUT_COMMAND", "drift-scan", "INPUT_ARGS",
                driftArgs() + " --no-heartbeat --metrics-file m.prom"));
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.out().contains("--no-heartbeat cannot go with"), r.out());
        assertEquals(List.of(), pings);
    }
}
