package dev.gatekeeper.cli.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.cli.demo.AlertReceiver;
import dev.gatekeeper.cli.demo.DemoCommand;
import dev.gatekeeper.notify.Alert;
import dev.gatekeeper.notify.WebhookNotifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code gatekeeper drill}: pulls every safety handle for real, on scratch copies, and says which fired. A guard
 * nobody exercises is a guard nobody knows works: run it weekly (the distribution's {@code gatekeeper-drill.timer})
 * and in CI. Exit 0 only when every handle fired; 3 when any did not (with an alert when asked).
 */
@Command(name = "drill", mixinStandardHelpOptions = true,
        description = {"Pull every safety handle on scratch repositories and report each as PASSED or FAILED with its "
                + "time: bad merge -> revert -> redeploy -> recovery; broken policy -> fail closed -> break-glass "
                + "through; lazy agent -> verify-push alarm; tampered hook -> drift alert and heal; alert endpoint "
                + "down -> notify.failed surfaced.",
            "Nothing outside the scratch folder is touched. Exit 0 only when every handle fired, 3 otherwise."})
public final class DrillCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "scratch folder (default: a new temporary folder, "
            + "removed afterwards unless --keep)")
    Path dir;
    @Option(names = "--keep", description = "keep the scratch folder to look at")
    boolean keep;
    @Option(names = "--json", description = "one JSON object on stdout")
    boolean json;
    @Option(names = "--alert-webhook-env", paramLabel = "NAME", description = "when a handle did not fire, post an "
            + "alert to the webhook URL in $NAME (the gate's JSON alert format)")
    String alertWebhookEnv;

    private final DemoCommand.RuntimeSource runtimes;
    private final DemoCommand.LauncherSource launcher;

    public DrillCommand(DemoCommand.RuntimeSource runtimes, DemoCommand.LauncherSource launcher) {
        this.runtimes = runtimes;
        this.launcher = launcher;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String webhook = null;
        if (alertWebhookEnv != null) {
            webhook = System.getenv(alertWebhookEnv);
            if (webhook == null || webhook.isBlank()) {
                throw new GatekeeperException(ExitCode.USAGE, "$" + alertWebhookEnv + " is not set");
            }
        }
        Path root = dir != null ? dir.toAbsolutePath().normalize() : Files.createTempDirectory("gatekeeper-drill-");
        Files.createDirectories(root);
        try (Stream<Path> s = Files.list(root)) {
            if (s.findAny().isPresent()) {
                throw new GatekeeperException(ExitCode.USAGE, "--dir must be empty or new: " + root);
            }
        }
        long start = System.nanoTime();
        List<Drill.HandleResult> results;
        try (AlertReceiver alerts = new AlertReceiver()) {
            DrillWorld world;
            try {
                world = DrillWorld.create(root, launcher.get(), runtimes.get(spec.commandLine().getErr()));
                Files.writeString(world.server.resolve("gatekeeper/alert.url"), alerts.url() + "\n",
                        StandardCharsets.UTF_8);
            } catch (IOException | GatekeeperException e) {
                results = Drill.handles().stream().map(h -> new Drill.HandleResult(h.name(), h.title(), false,
                        "the scratch world could not be built: " + e.getMessage(), Duration.ZERO)).toList();
                return finish(out, root, results, start, webhook);
            }
            results = Drill.pullAll(world, alerts, Drill.handles());
        }
        return finish(out, root, results, start, webhook);
    }

    private int finish(PrintWriter out, Path root, List<Drill.HandleResult> results, long start, String webhook)
            throws IOException {
        Drill.Verdict verdict = Drill.Verdict.of(results);
        Duration total = Duration.ofNanos(System.nanoTime() - start);
        if (json) {
            out.println(json(verdict, total, root));
        } else {
            out.println("gatekeeper drill, on scratch repositories in " + root);
            for (Drill.HandleResult h : results) {
                out.println(String.format("%-7s %-52s %6.1f s  %s", h.passed() ? "PASSED" : "FAILED", h.title(),
                        h.took().toMillis() / 1000.0, h.detail()));
            }
            out.println(verdict.passed() ? "every safety handle fired (" + results.size() + " of " + results.size()
                    + ", " + String.format("%.1f", total.toMillis() / 1000.0) + " s)"
                    : verdict.failed() + " of " + results.size() + " safety handles did NOT fire");
        }
        out.flush();
        if (!verdict.passed() && webhook != null) {
            try {
                StringBuilder text = new StringBuilder();
                results.stream().filter(h -> !h.passed()).forEach(h -> text.append(h.title()).append(": ")
                        .append(h.detail()).append('\n'));
                new WebhookNotifier(webhook, Duration.ofSeconds(5)).send(new Alert("critical",
                        "gatekeeper drill: " + verdict.failed() + " safety handle(s) did not fire", text.toString()
                                .strip(), null, Map.of("failed", Long.toString(verdict.failed()))));
            } catch (IOException | RuntimeException e) {
                spec.commandLine().getErr().println("gatekeeper: warning: the drill's alert was not delivered: "
                        + e.getMessage());
            }
        }
        if (dir == null && !keep) {
            deleteTree(root);
        } else if (!json) {
            out.println("scratch kept: " + root);
        }
        return verdict.passed() ? ExitCode.OK.code() : ExitCode.REFUSED.code();
    }

    private static String json(Drill.Verdict v, Duration total, Path root) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode o = m.createObjectNode();
        o.put("passed", v.passed());
        o.put("failed", v.failed());
        o.put("total_ms", total.toMillis());
        o.put("scratch", root.toString());
        ArrayNode handles = o.putArray("handles");
        for (Drill.HandleResult h : v.handles()) {
            ObjectNode n = handles.addObject();
            n.put("name", h.name());
            n.put("title", h.title());
            n.put("verdict", h.passed() ? "PASSED" : "FAILED");
            n.put("ms", h.took().toMillis());
            n.put("detail", h.detail());
        }
        return o.toString();
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a scratch folder left behind in the temporary folder is harmless
        }
    }
}
