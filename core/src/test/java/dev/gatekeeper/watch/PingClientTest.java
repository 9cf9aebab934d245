package dev.gatekeeper.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PingClientTest {
    private HttpServer server;
    private final List<String> got = new CopyOnWriteArrayList<>();
    private final AtomicInteger failFirst = new AtomicInteger();
    private volatile int status = 200;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            got.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " " + body);
            ex.sendResponseHeaders(failFirst.getAndDecrement() > 0 ? 503 : status, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void startSuccessExitCodeAndFailFollowTheHealthchecksConvention() throws IOException {
        PingClient p = new PingClient(url("/ping/abc-123"));
        p.start("started");
        p.end(0, "exit 0");
        p.end(3, "drift found: the check worked");
        p.end(5, "recovered");
        p.end(4, "inconclusive");
        p.end(6, "a human must act");
        p.fail("stopped");
        assertEquals(List.of("POST /ping/abc-123/start started", "POST /ping/abc-123 exit 0",
                "POST /ping/abc-123 drift found: the check worked", "POST /ping/abc-123 recovered",
                "POST /ping/abc-123/4 inconclusive", "POST /ping/abc-123/6 a human must act",
                "POST /ping/abc-123/fail stopped"), got);
    }

    @Test
    void aTrailingSlashAndAQueryStringAreKept() throws IOException {
        new PingClient(url("/ping/abc/?create=1")).start("");
        assertEquals(List.of("POST /ping/abc/start "), got);
    }

    @Test
    void aServiceHiccupIsRetriedAndAWrongUrlIsNot() throws IOException {
        failFirst.set(2);
        new PingClient(url("/p"), Duration.ofSeconds(2), 3).end(0, "");
        assertEquals(3, got.size(), got.toString());
        got.clear();
        status = 404;
        IOException e = assertThrows(IOException.class, () -> new PingClient(url("/p"), Duration.ofSeconds(2), 3)
                .end(0, ""));
        assertEquals(1, got.size(), "a 404 stays a 404");
        assertTrue(e.getMessage().contains("answered HTTP 404"), e.getMessage());
        assertTrue(!e.getMessage().contains("/p"), "the URL's path is its secret: " + e.getMessage());
    }

    @Test
    void anUnreachableServiceFailsWithinItsBudget() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        long t = System.nanoTime();
        assertThrows(IOException.class, () -> new PingClient("http://127.0.0.1:" + port + "/p", Duration.ofSeconds(1),
                3).start(""));
        long ms = (System.nanoTime() - t) / 1_000_000;
        assertTrue(ms < 3 * 1000 + 2000, "3 tries of 1 s at most, and short pauses: " + ms + " ms");
    }

    @Test
    void notAUrlIsAUsageError() {
        assertThrows(IllegalArgumentException.class, () -> new PingClient("hc-ping.com/abc"));
    }
}
