package dev.gatekeeper.cli.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The demo's app as a service of its own: a separate JVM serving {@link HealthService} on a fixed port, started by
 * a {@code restart-app} script that stands in for {@code systemctl restart app}. On start the app reads the
 * deployed checkout's {@code health} file; when its first line starts with {@code crash} it dies before listening
 * (the crash-on-start of a bad deploy), so every probe meets a refused connection until a deploy of a good
 * commit restarts it. The script returns once the app listens or has died (at most 30 s), as a deploy step would.
 * Used by the demo's stabilize chapter and the end-to-end tests.
 */
public final class AppService implements AutoCloseable {
    private final Path dir;
    private final int port;

    /**
     * Writes {@code dir/restart-app} for an app serving {@code deployed} on a free port; starts nothing.
     *
     * @param java      the {@code java} binary
     * @param classpath where {@code dev.gatekeeper.cli.demo.AppService} is (the distribution's {@code lib/*})
     */
    public AppService(Path dir, Path deployed, String java, String classpath) throws IOException {
        this.dir = Files.createDirectories(dir);
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            this.port = s.getLocalPort();
        }
        String script = "#!/bin/sh\n"
                + "# stands in for 'systemctl restart app': stop the app, start it from the deployed checkout\n"
                + "dir=" + quote(dir.toString()) + "\n"
                + "if [ -f \"$dir/app.pid\" ]; then\n"
                + "  old=$(cat \"$dir/app.pid\"); kill \"$old\" 2>/dev/null\n"
                + "  i=0; while kill -0 \"$old\" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done\n"
                + "fi\n"
                + "rm -f \"$dir/app.state\"\n"
                + "nohup " + quote(java) + " -Xshare:auto -XX:TieredStopAtLevel=1 -cp " + quote(classpath) + " "
                + AppService.class.getName() + " " + quote(deployed.toString()) + " " + port
                + " \"$dir/app.state\" >>\"$dir/app.log\" 2>&1 </dev/null &\n"
                + "echo $! >\"$dir/app.pid\"\n"
                + "i=0; while [ ! -s \"$dir/app.state\" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done\n"
                + "echo \"app: $(cat \"$dir/app.state\" 2>/dev/null || echo 'no state after 30 s')\"\n";
        Path restart = restartScript();
        Files.writeString(restart, script, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(restart, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    public Path restartScript() {
        return dir.resolve("restart-app");
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/health";
    }

    public int port() {
        return port;
    }

    /** What the app said last: {@code listening} or {@code crashed: …}. */
    public Optional<String> state() {
        try {
            return Optional.of(Files.readString(dir.resolve("app.state"), StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Stops the app this script started (by its recorded pid). */
    @Override
    public void close() {
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve("app.pid")).strip());
            ProcessHandle.of(pid).ifPresent(p -> {
                p.destroy();
                p.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join();
            });
        } catch (IOException | NumberFormatException e) {
            // never started
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** The app: {@code AppService DEPLOYED PORT STATE_FILE}. */
    public static void main(String[] args) throws IOException, InterruptedException {
        Path deployed = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        Path state = Path.of(args[2]);
        String first;
        try {
            first = Files.readString(deployed.resolve(HealthService.FILE), StandardCharsets.UTF_8).strip()
                    .split("\n")[0];
        } catch (IOException e) {
            first = "";
        }
        if (first.startsWith("crash")) {
            String why = "crashed on start: " + first;
            System.err.println("app: " + why);
            Files.writeString(state, why + "\n", StandardCharsets.UTF_8);
            System.exit(1);
        }
        HealthService service = new HealthService(deployed, port);
        Files.writeString(state, "listening on " + service.url() + "\n", StandardCharsets.UTF_8);
        Thread.currentThread().join();
    }
}
