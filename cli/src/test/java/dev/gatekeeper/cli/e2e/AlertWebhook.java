package dev.gatekeeper.cli.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A tiny HTTP server on 127.0.0.1 standing in for the alert webhook: records every request, answers 204. */
final class AlertWebhook implements AutoCloseable {
    /** One request as received, and when (wall clock, ms). */
    record Received(String method, String path, String contentType, String body, long atMillis) {}

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private AlertWebhook(HttpServer server) {
        this.server = server;
    }

    static AlertWebhook start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            AlertWebhook hook = new AlertWebhook(server);
            server.createContext("/", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    hook.received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                            exchange.getRequestHeaders().getFirst("Content-Type"),
                            new String(in.readAllBytes(), StandardCharsets.UTF_8), System.currentTimeMillis()));
                }
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
            return hook;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts/gatekeeper";
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
