package dev.gatekeeper.cli.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatekeeper.cli.demo.AlertReceiver;
import dev.gatekeeper.cli.demo.HealthService;
import dev.gatekeeper.install.HookStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The safety handles, each pulled for real in the scratch world ({@link DrillWorld}) through the distribution's own
 * launcher, each judged on what happened (exit codes, the server's refs, events, alerts received), never on what a
 * command said about itself. Measuring apart from judging: a handle returns what it saw; {@link Verdict#of} judges.
 */
final class Drill {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One handle's outcome. */
    record HandleResult(String name, String title, boolean passed, String detail, Duration took) {}

    /** The drill's verdict over all handles: passed only when every one fired. */
    record Verdict(List<HandleResult> handles) {
        static Verdict of(List<HandleResult> handles) {
            return new Verdict(List.copyOf(handles));
        }

        boolean passed() {
            return !handles.isEmpty() && handles.stream().allMatch(HandleResult::passed);
        }

        long failed() {
            return handles.stream().filter(h -> !h.passed()).count();
        }
    }

    /** A handle: what to pull, and the check of what happened. */
    interface Handle {
        String name();

        String title();

        /** @return what happened, one line, when it fired as it must; throws {@link Misfire} when not */
        String pull(DrillWorld w, AlertReceiver alerts) throws Exception;
    }

    /** A handle that did not fire as it must; the message says what happened instead. */
    static final class Misfire extends Exception {
        Misfire(String message) {
            super(message);
        }
    }

    static void expect(boolean ok, String what) throws Misfire {
        if (!ok) {
            throw new Misfire(what);
        }
    }

    /** Every handle, in the order they run. */
    static List<Handle> handles() {
        return List.of(new BadMerge(), new BrokenPolicy(), new LazyAgent(), new TamperedHook(), new AlertDown());
    }

    static HandleResult pull(Handle h, DrillWorld w, AlertReceiver alerts) {
        long start = System.nanoTime();
        try {
            String detail = h.pull(w, alerts);
            return new HandleResult(h.name(), h.title(), true, detail, Duration.ofNanos(System.nanoTime() - start));
        } catch (Misfire e) {
            return new HandleResult(h.name(), h.title(), false, e.getMessage(), Duration.ofNanos(System.nanoTime()
                    - start));
        } catch (Exception e) {
            return new HandleResult(h.name(), h.title(), false, "could not be pulled: " + e.getClass().getSimpleName()
                    + ": " + e.getMessage(), Duration.ofNanos(System.nanoTime() - start));
        }
    }

    // ---- the handles ----

    /** A merge that breaks the service: stabilize reverts it through the gate, redeploys, and sees it recover. */
    static final class BadMerge implements Handle {
        @Override public String name() { return "bad-merge"; }
        @Override public String title() { return "bad merge -> revert -> redeploy -> recovery"; }

        @Override
        public String pull(DrillWorld w, AlertReceiver alerts) throws Exception {
            return badMergeThenStabilize(w, "bad-merge", "webhook:DRILL_ALERTS", Map.of("DRILL_ALERTS",
                    alerts.url()), run -> {
                        JsonNode report = JSON.readTree(run.stdout());
                        expect(run.exit() == 5, "stabilize exited " + run.exit() + ", not 5 (recovered): "
                                + report.path("summary").asText(run.output().strip()));
                        return "reverted " + abbrev(report.path("revert").asText()) + " and recovered; revert pushed "
                                + report.path("threshold_to_push_ms").asLong() + " ms after the probe failed";
                    });
        }
    }

    /** The alert endpoint is down during a revert: the revert still happens and notify.failed is surfaced. */
    static final class AlertDown implements Handle {
        @Override public String name() { return "alert-down"; }
        @Override public String title() { return "alert endpoint down -> notify.failed surfaced"; }

        @Override
        public String pull(DrillWorld w, AlertReceiver alerts) throws Exception {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort(); // closed again: nothing listens there
            }
            return badMergeThenStabilize(w, "alert-down", "webhook:DEAD_WEBHOOK",
                    Map.of("DEAD_WEBHOOK", "http://127.0.0.1:" + port + "/alerts"), run -> {
                        expect(run.exit() == 5, "stabilize exited " + run.exit() + " with the alert endpoint down:"
                                + " a dead endpoint must never block the revert");
                        expect(run.stderr().contains("could not notify"), "no warning on stderr about the"
                                + " undelivered notification");
                        Path log = w.root.resolve("alert-down-ci/.git/gatekeeper/events.jsonl");
                        String events = Files.readString(log);
                        expect(events.contains("\"type\":\"notify.failed\""), "no notify.failed event in " + log);
                        return "revert still pushed; notify.failed recorded and warned on stderr";
                    });
        }
    }

    interface Judge {
        String judge(DrillWorld.Run run) throws Exception;
    }

    /** The story of issue 4's stabilize: merge a broken health file, deploy, stabilize (HTTP 500 is a failure). */
    static String badMergeThenStabilize(DrillWorld w, String name, String notify, Map<String, String> env,
            Judge judge) throws Exception {
        Path ci = w.clone(name + "-ci");
        Path deployed = w.clone(name + "-deployed");
        try (HealthService service = new HealthService(deployed)) {
            w.must(ci, "git", "switch", "-q", "-c", "feature/" + name);
            Files.writeString(ci.resolve(HealthService.FILE), "broken by " + name + "\n", StandardCharsets.UTF_8);
            w.must(ci, "git", "commit", "-q", "-am", "a change that breaks the service");
            w.must(ci, "git", "switch", "-q", "main");
            w.must(ci, "git", "pull", "-q", "--ff-only");
            w.must(ci, "git", "merge", "-q", "--no-ff", "-m", "Merge feature/" + name, "feature/" + name);
            w.pipelinePush(ci);
            String merge = w.must(ci, "git", "rev-parse", "HEAD");
            w.must(deployed, "git", "pull", "-q", "--ff-only");
            expect(status(service.url()) == 500, "the bad deploy did not break the scratch service");
            DrillWorld.Run run = w.gatekeeper(ci, env, "stabilize", "-C", ci.toString(), "--json", "--wait", "0s",
                    "--samples", "2", "--interval", "100ms", "--confirm-wait", "0s",
                    "--probe", "http:GET:" + service.url(), "--deploy", "git -C " + deployed + " pull -q --ff-only",
                    "--token-secret-file", w.pipelineSecret.toString(), "--repo-name", "app", "--notify", notify);
            String detail = judge.judge(run);
            String tip = w.must(w.server, "git", "log", "-1", "--format=%s%n%b", "main");
            expect(tip.startsWith("Auto-revert:") && tip.contains("Gatekeeper-Reverts: " + merge),
                    "main on the server is not the revert of " + abbrev(merge) + ": " + tip.lines().findFirst()
                            .orElse(""));
            expect(status(service.url()) == 200, "the service is not healthy after the redeploy");
            return detail;
        }
    }

    /** A broken policy: every push refused (fail closed), and break-glass still gets the fix in, alerted. */
    static final class BrokenPolicy implements Handle {
        @Override public String name() { return "broken-policy"; }
        @Override public String title() { return "broken policy -> fail closed -> break-glass through"; }

        @Override
        public String pull(DrillWorld w, AlertReceiver alerts) throws Exception {
            Path policy = w.server.resolve("gatekeeper/policy.yaml");
            byte[] good = Files.readAllBytes(policy);
            Files.writeString(policy, DrillWorld.POLICY.replace("    howToLand", "    alowDeletion: true\n"
                    + "    howToLand"), StandardCharsets.UTF_8);
            try {
                Path admin = w.clone("broken-policy-admin");
                Files.writeString(admin.resolve("hotfix.txt"), "the fix\n", StandardCharsets.UTF_8);
                w.must(admin, "git", "add", "hotfix.txt");
                w.must(admin, "git", "commit", "-q", "-m", "hotfix while the policy is broken");
                DrillWorld.Run feature = w.git(admin, "push", "origin", "HEAD:refs/heads/drill/feature");
                expect(feature.exit() != 0 && feature.output().contains("fail-closed"), "a push to a feature branch"
                        + " was not refused (fail closed) while the policy was broken: exit " + feature.exit());
                int before = alerts.received().size();
                DrillWorld.Run token = w.gatekeeper(admin, Map.of(), "token", "break-glass", "--repo", "app",
                        "--reason", "gatekeeper drill", "--secret-file", w.breakGlassSecret.toString());
                expect(token.exit() == 0, "token break-glass failed: " + token.output().strip());
                DrillWorld.Run glass = w.git(admin, "push", "-o", "gatekeeper-break-glass=" + token.stdout().strip(),
                        "origin", "HEAD:main");
                expect(glass.exit() == 0 && glass.output().contains("BREAK-GLASS accepted"), "break-glass did not"
                        + " get through the broken policy: exit " + glass.exit());
                expect(w.must(w.server, "git", "rev-parse", "main").equals(w.must(admin, "git", "rev-parse", "HEAD")),
                        "main did not move to the break-glass commit");
                expect(waitFor(() -> alerts.received().size() > before
                        && alerts.received().stream().anyMatch(a -> a.contains("break-glass"))),
                        "no break-glass alert reached the alert endpoint");
                return "feature push refused (fail-closed); break-glass landed on main and was alerted";
            } finally {
                Files.write(policy, good);
            }
        }
    }

    /** An agent that says it pushed and did not: verify-push catches it and raises the alarm. */
    static final class LazyAgent implements Handle {
        @Override public String name() { return "lazy-agent"; }
        @Override public String title() { return "lazy agent -> verify-push alarm"; }

        @Override
        public String pull(DrillWorld w, AlertReceiver alerts) throws Exception {
            Path agent = w.clone("lazy-agent");
            w.must(agent, "git", "switch", "-q", "-c", "agent/drill");
            w.must(agent, "git", "push", "-q", "-u", "origin", "agent/drill");
            Path script = w.root.resolve("lazy-agent.sh");
            Files.writeString(script, "#!/bin/sh\nset -e\necho work > drill.txt\ngit add drill.txt\n"
                    + "git commit -q -m 'the fix'\necho 'Done! Pushed the fix.'\n", StandardCharsets.UTF_8);
            int before = alerts.received().size();
            DrillWorld.Run run = w.gatekeeper(agent, Map.of("DRILL_ALERTS", alerts.url()), "verify-push", "--timeout",
                    "3s", "--alert-webhook-env", "DRILL_ALERTS", "--", "sh", script.toString());
            expect(run.exit() == 3, "verify-push exited " + run.exit() + ", not 3 (not verified): "
                    + run.output().strip());
            expect(waitFor(() -> alerts.received().size() > before), "verify-push raised no alert");
            String events = Files.readString(agent.resolve(".git/gatekeeper/events.jsonl"));
            expect(events.contains("\"type\":\"push.unverified\""), "no push.unverified event");
            return "claim caught (exit 3), push.unverified recorded, alert received";
        }
    }

    /** Someone edits the server's hook: the drift scan alerts and its heal puts the gate back. */
    static final class TamperedHook implements Handle {
        @Override public String name() { return "tampered-hook"; }
        @Override public String title() { return "tampered hook -> drift alert and heal"; }

        @Override
        public String pull(DrillWorld w, AlertReceiver alerts) throws Exception {
            Path hook = w.server.resolve("hooks/pre-receive");
            Files.writeString(hook, "exit 0 # let everything through\n", StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
            int before = alerts.received().size();
            DrillWorld.Run scan = w.gatekeeper(w.root, Map.of("DRILL_ALERTS", alerts.url()), "drift", "scan", "--bare",
                    w.server.toString(), "--heal", "--full", "--state", w.root.resolve("drift/state.json").toString(),
                    "--alert-webhook-env", "DRILL_ALERTS");
            expect(scan.exit() == 3, "drift scan exited " + scan.exit() + ", not 3 (drift found): "
                    + scan.output().strip());
            expect(scan.output().contains("TAMPERED"), "the scan did not report the tampered hook");
            expect(waitFor(() -> alerts.received().size() > before), "the drift scan raised no alert");
            HookStatus.Result status = HookStatus.check(w.server, w.env);
            expect(status.installed(), "the heal did not put the hook back: " + status.state().label() + " "
                    + status.findings());
            Path dev = w.clone("tampered-hook-dev");
            Files.writeString(dev.resolve("direct.txt"), "direct\n", StandardCharsets.UTF_8);
            w.must(dev, "git", "add", "direct.txt");
            w.must(dev, "git", "commit", "-q", "-m", "a direct push after the heal");
            DrillWorld.Run direct = w.git(dev, "push", "origin", "HEAD:main");
            expect(direct.exit() != 0 && direct.output().contains("REFUSED refs/heads/main"), "after the heal a"
                    + " direct push to main was not refused: exit " + direct.exit());
            return "drift found and alerted; hooks reinstalled; the gate refuses direct pushes again";
        }
    }

    // ---- helpers ----

    interface Condition {
        boolean holds();
    }

    /** Alerts are posted by other processes; give them a moment (5 s at most). */
    static boolean waitFor(Condition c) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            if (c.holds()) {
                return true;
            }
            Thread.sleep(100);
        }
        return c.holds();
    }

    static int status(String url) throws IOException, InterruptedException {
        HttpResponse<Void> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
        return r.statusCode();
    }

    static String abbrev(String sha) {
        return sha == null || sha.length() < 10 ? String.valueOf(sha) : sha.substring(0, 10);
    }

    static List<HandleResult> pullAll(DrillWorld w, AlertReceiver alerts, List<Handle> handles) {
        List<HandleResult> out = new ArrayList<>();
        for (Handle h : handles) {
            out.add(pull(h, w, alerts));
        }
        return out;
    }
}
