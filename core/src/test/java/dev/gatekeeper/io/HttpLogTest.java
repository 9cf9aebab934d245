package dev.gatekeeper.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP exchange log: silent where a host keeps java.util.logging's default, one line where it is turned on. */
class HttpLogTest {
    private final Logger logger = Logger.getLogger(HttpLog.LOGGER);
    private final List<LogRecord> published = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (isLoggable(r)) {
                published.add(r);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private HttpServer server;

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        server.start();
        capture.setLevel(Level.ALL);
        logger.addHandler(capture);
    }

    @AfterEach
    void stop() {
        logger.removeHandler(capture);
        logger.setLevel(null);
        server.stop(0);
    }

    private void get(HttpLog log, String path) throws Exception {
        OkHttpClient client = new OkHttpClient.Builder().addInterceptor(log).build();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + path;
        try (Response r = client.newCall(new Request.Builder().url(url).build()).execute()) {
            assertEquals(204, r.code());
        }
    }

    @Test
    void aHostAtTheDefaultInfoLevelSeesNoLinePerExchange() throws Exception {
        logger.setLevel(Level.INFO); // as the Jenkins controller and the Action's JVM leave it
        get(HttpLog.withPath(), "/health");
        assertEquals(List.of(), published.stream().map(LogRecord::getMessage).toList());
    }

    @Test
    void turnedOnItWritesOneLineWithoutTheQueryOrTheSecretPath() throws Exception {
        logger.setLevel(Level.FINE);
        get(HttpLog.withPath(), "/health?token=abc");
        get(HttpLog.hostOnly(), "/services/T0/B0/secret");
        assertEquals(2, published.size());
        String first = published.get(0).getMessage();
        assertTrue(first.matches("GET http://127\\.0\\.0\\.1:\\d+/health -> 204 in \\d+ ms"), first);
        String second = published.get(1).getMessage();
        assertTrue(second.matches("GET http://127\\.0\\.0\\.1:\\d+/… -> 204 in \\d+ ms"), second);
    }
}
