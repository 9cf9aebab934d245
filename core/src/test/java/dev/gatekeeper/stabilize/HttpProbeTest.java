package dev.gatekeeper.stabilize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP probes against servers that close their connections: Python's {@code http.server} (HTTP/1.0, the health
 * endpoint of many small services), a raw HTTP/1.0 server, and an HTTP/1.1 server that closes after each answer
 * without saying so. Every sample must be measured as the service answered it; a reused connection the server
 * already closed used to turn every second sample into an ERROR ("unexpected end of stream").
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HttpProbeTest {
    private static final SamplingPlan SIX = new SamplingPlan(6, Duration.ofMillis(30), 0, 4);

    @TempDir
    Path tmp;

    private static Probe probe(String url) {
        return ProbeSpec.parse("http:GET:" + url).timeout(Duration.ofSeconds(3)).open(null);
    }

    private static Analysis analyse(Probe p, SamplingPlan plan) throws InterruptedException {
        return new ProbeAnalysis().setProbes(List.of(p)).setPlan(plan).call();
    }

    @Test
    void everySampleAgainstPythonsHttpServerIsMeasured() throws Exception {
        Files.writeString(tmp.resolve("health"), "ok\n");
        Process python = new ProcessBuilder("python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1",
                "--directory", tmp.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream(),
                    StandardCharsets.UTF_8));
            String first = out.readLine();
            Matcher m = Pattern.compile("port (\\d+)").matcher(first == null ? "" : first);
            assertTrue(m.find(), "python3 -m http.server said: " + first);
            Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
            drain.setDaemon(true);
            drain.start();
            String url = "http://127.0.0.1:" + m.group(1) + "/health";
            Analysis a = analyse(probe(url), SIX);
            assertEquals(Analysis.Verdict.HEALTHY, a.verdict(), String.join("\n", a.log()));
            assertEquals(0, a.errors(), String.join("\n", a.log()));
            // one sample, as after a redeploy with --samples 1: measured, not an error left by a stale connection
            Probe p = probe(url);
            for (int i = 0; i < 4; i++) {
                Measurement one = p.measure();
                assertEquals(Measurement.Kind.OK, one.kind(), one.detail());
            }
            Measurement missing = probe("http://127.0.0.1:" + m.group(1) + "/nothing-here").measure();
            assertEquals(Measurement.Kind.FAILURE, missing.kind(), missing.detail());
            assertEquals("HTTP 404 (expected 200-399)", missing.detail());
        } finally {
            python.destroy();
            python.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void everySampleAgainstARawHttp10ServerThatClosesIsMeasured() throws Exception {
        try (ClosingServer s = new ClosingServer("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nok\n")) {
            Analysis a = analyse(probe(s.url()), SIX);
            assertEquals(Analysis.Verdict.HEALTHY, a.verdict(), String.join("\n", a.log()));
            assertEquals(6, s.connections.get(), "one connection per sample");
        }
    }

    @Test
    void anHttp11ServerThatClosesWithoutSayingSoIsMeasuredCorrectly() throws Exception {
        try (ClosingServer s = new ClosingServer("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n")) {
            Analysis a = analyse(probe(s.url()), SIX);
            assertEquals(Analysis.Verdict.HEALTHY, a.verdict(), String.join("\n", a.log()));
            assertEquals(0, a.errors(), String.join("\n", a.log()));
        }
        try (ClosingServer s = new ClosingServer("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 5\r\n\r\ndown\n")) {
            Analysis a = analyse(probe(s.url()), new SamplingPlan(3, Duration.ZERO, 2, 4));
            assertEquals(Analysis.Verdict.FAILED, a.verdict(), String.join("\n", a.log()));
            assertEquals(3, a.failures(), "every sample is the service's 503, never a connection error");
        }
    }

    /** Answers every request with a fixed response, then closes the connection. */
    private static final class ClosingServer implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger connections = new AtomicInteger();
        final Thread thread;

        ClosingServer(String response) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket c = socket.accept()) {
                        connections.incrementAndGet();
                        readHeaders(c.getInputStream());
                        OutputStream o = c.getOutputStream();
                        o.write(response.getBytes(StandardCharsets.US_ASCII));
                        o.flush();
                    } catch (IOException e) {
                        // closed
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        private static void readHeaders(InputStream in) throws IOException {
            int state = 0;
            while (state < 4) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                        ? state + 1 : 0;
            }
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/health";
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
