package dev.gatekeeper.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class WebhookNotifierTest {

    private static final Alert ALERT = new Alert("critical", "gatekeeper: break-glass on app refs/heads/main",
            "by alice: \"prod\" down\nINC-42", "ev-1", Map.of("ref", "refs/heads/main", "repository", "app"));

    /** Top-level string fields and the "fields" object of a JSON body, flattened as "fields.k". */
    private static Map<String, String> flatten(String json) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            assertEquals(JsonToken.START_OBJECT, p.nextToken());
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (p.nextToken() == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String k = p.currentName();
                        p.nextToken();
                        out.put(name + "." + k, p.getText());
                    }
                } else {
                    out.put(name, p.getText());
                }
            }
        }
        return out;
    }

    @Test
    void bodyCarriesEveryField() throws Exception {
        Map<String, String> f = flatten(WebhookNotifier.body(ALERT));
        assertEquals("gatekeeper", f.get("source"));
        assertEquals("critical", f.get("severity"));
        assertEquals(ALERT.title(), f.get("title"));
        assertEquals(ALERT.text(), f.get("text"));
        assertEquals("ev-1", f.get("event"));
        assertEquals("refs/heads/main", f.get("fields.ref"));
        assertEquals("app", f.get("fields.repository"));
        assertTrue(f.containsKey("time"));
    }

    @Test
    void sendsAndReportsFailures() throws Exception {
        List<String> bodies = Collections.synchronizedList(new ArrayList<>());
        int[] status = {200};
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            bodies.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(status[0], -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/services/T000/XXXX?token=abc";
            WebhookNotifier n = new WebhookNotifier(url, Duration.ofSeconds(5));
            n.send(ALERT);
            assertEquals(1, bodies.size());
            assertTrue(bodies.get(0).startsWith("POST /services/T000/XXXX?token=abc {"), bodies.get(0));

            status[0] = 503;
            IOException e = assertThrows(IOException.class, () -> n.send(ALERT));
            assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());

            String d = n.describe();
            assertEquals("webhook http://127.0.0.1:" + server.getAddress().getPort(), d);
            assertFalse(d.contains("XXXX") || d.contains("token"), d);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void unreachableWebhookFailsWithinTheTimeout() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        WebhookNotifier n = new WebhookNotifier("http://127.0.0.1:" + port + "/x", Duration.ofSeconds(2));
        long start = System.nanoTime();
        assertThrows(IOException.class, () -> n.send(ALERT));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
    }
}
