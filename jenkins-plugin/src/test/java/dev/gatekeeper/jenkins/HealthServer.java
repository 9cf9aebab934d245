package dev.gatekeeper.jenkins;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP service on 127.0.0.1: {@code /health} answers 200 while healthy, 500 otherwise; it turns healthy
 * when {@code fixedMarker} exists (what the test's deploy command creates). Every other path records the POST it
 * got (a chat webhook).
 */
final class HealthServer implements AutoCloseable {
    private final HttpServer server;
    private final Path fixedMarker;
    volatile boolean healthy;
    final List<String> posts = new CopyOnWriteArrayList<>();
    /** The Authorization header of each health check (absent: empty). */
    final List<String> headers = new CopyOnWriteArrayList<>();

    HealthServer(boolean healthy, Path fixedMarker) throws IOException {
        this.healthy = healthy;
        this.fixedMarker = fixedMarker;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] in = exchange.getRequestBody().readAllBytes();
            int status;
            if (exchange.getRequestURI().getPath().equals("/health")) {
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                headers.add(auth == null ? "" : auth);
                status = this.healthy || Files.exists(fixedMarker) ? 200 : 500;
            } else {
                posts.add(exchange.getRequestURI().getPath() + " " + new String(in, StandardCharsets.UTF_8));
                status = 200;
            }
            byte[] body = (status == 200 ? "ok" : "broken").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
