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
 * the line as the body), and when it starts with {@code hang}, only after 30 s (a probe times out: an ERROR, not a
 * failure). So a merge that changes that file breaks the service once it is deployed, and a revert that is
 * deployed heals it. Used by the demo's stabilize chapter and by the end-to-end tests; {@link AppService} runs it
 * as a process of its own that can crash on start.
 */
public final class HealthService implements AutoCloseable {
    public static final String FILE = "health";

    private final HttpServer server;

    public HealthService(Path deployedCheckout) throws IOException {
        this(deployedCheckout, 0);
    }

    /** On {@code port} (0: any free port). */
    public HealthService(Path deployedCheckout, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/health", exchange -> {
            String state;
            try {
                state = Files.readString(deployedCheckout.resolve(FILE), StandardCharsets.UTF_8).strip().split("\n")[0];
            } catch (IOException e) {
                state = "no " + FILE + " file deployed";
            }
            if (state.startsWith("hang")) {
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = (state + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(state.equals("ok") ? 200 : 500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "health-service");
            t.setDaemon(true);
            return t;
        }));
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
