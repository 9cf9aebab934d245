package dev.gatekeeper.cli.demo;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tiny service on 127.0.0.1 whose health depends on what is deployed: {@code GET /health} reads the file
 * {@code health} in the deployed checkout and answers 200 when its first line is {@code ok}, 500 otherwise (with
 * the line as the body). So a merge that changes that file breaks the service once it is deployed, and a revert
 * that is deployed heals it. Used by the demo's stabilize chapter and by the end-to-end tests.
 */
public final class HealthService implements AutoCloseable {
    public static final String FILE = "health";

    private final HttpServer server;

    public HealthService(Path deployedCheckout) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", exchange -> {
            String state;
            try {
                state = Files.readString(deployedCheckout.resolve(FILE), StandardCharsets.UTF_8).strip().split("\n")[0];
            } catch (IOException e) {
                state = "no " + FILE + " file deployed";
            }
            byte[] body = (state + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(state.equals("ok") ? 200 : 500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/health";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
