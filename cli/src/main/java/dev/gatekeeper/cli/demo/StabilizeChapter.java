package dev.gatekeeper.cli.demo;

import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.events.EventLog;
import dev.gatekeeper.events.Timeline;
import dev.gatekeeper.gate.GateEnvironment;
import dev.gatekeeper.token.MintTokenCommand;
import dev.gatekeeper.token.Secret;
import dev.gatekeeper.token.TokenClaims;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Chapter 3: stabilize, probe, revert, the crash-on-start story. An app ({@link AppService}: its own process on
 * 127.0.0.1, restarted by a {@code restart-app} script standing in for {@code systemctl restart app}) runs from a
 * "deployed checkout" of main. The pipeline merges a change that makes it crash on start and deploys: nothing
 * listens any more, every probe gets a refused connection. {@code gatekeeper stabilize}, run as the post-merge
 * step would run it, waits, probes, reverts the merge through the push gate with a pipeline token, redeploys, sees
 * the app healthy again and says so (exit 5). Run again for the same merge it does nothing (exit 0).
 */
final class StabilizeChapter {
    private final DemoShell sh;
    private final DemoSetup setup;
    private final Path gatekeeper;

    StabilizeChapter(DemoShell sh, DemoSetup setup, Path gatekeeper) {
        this.sh = sh;
        this.setup = setup;
        this.gatekeeper = gatekeeper;
    }

    void play() throws IOException, InterruptedException, GatekeeperException {
        sh.say("== Chapter 3: stabilize, probe, revert ==");
        Path secretFile = setup.serverRepo().resolve("gatekeeper/pipeline.secret");
        Secret secret = Secret.load(Map.of(), null, secretFile).orElseThrow();
        Path ci = setup.clone("ci");
        Files.writeString(ci.resolve(HealthService.FILE), "ok\n", StandardCharsets.UTF_8);
        sh.quiet(ci, "git", "add", HealthService.FILE);
        sh.quiet(ci, "git", "commit", "-q", "-m", "Add the health file the service reads");
        pipelinePush(ci, secret, true);
        Path deployed = setup.clone("deployed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (AppService app = new AppService(setup.root().resolve("app"), deployed, java,
                System.getProperty("java.class.path"));
             AlertReceiver chat = new AlertReceiver()) {
            String restart = "app/restart-app";
            String deploy = "git -C " + deployed + " pull -q --ff-only && " + app.restartScript();
            sh.run("deploy", setup.root(), Map.of(), List.of(app.restartScript().toString()), restart);
            sh.say("  The app (its own process) serves " + app.url() + " from the deployed checkout "
                    + deployed.getFileName() + "/;");
            sh.say("  it crashes on start when the file '" + HealthService.FILE + "' there says so. " + restart
                    + " stands in for systemctl restart app.");
            sh.say("  Notifications go to a stand-in chat webhook.");
            sh.say("");

            sh.say("1. The pipeline merges a feature that makes the app crash on start, pushes main (token) and "
                    + "deploys.");
            sh.quiet(ci, "git", "switch", "-q", "-c", "feature/cache", "main");
            Files.writeString(ci.resolve(HealthService.FILE), "crash: the cache settings do not parse\n",
                    StandardCharsets.UTF_8);
            sh.quiet(ci, "git", "commit", "-q", "-am", "Read the new cache settings at start");
            sh.quiet(ci, "git", "switch", "-q", "main");
            sh.git("pipeline", ci, "merge", "--no-ff", "-q", "-m", "Merge feature/cache", "feature/cache");
            pipelinePush(ci, secret, false);
            sh.run("deploy", setup.root(), Map.of(), List.of("sh", "-c", deploy),
                    "git -C deployed pull -q --ff-only && " + restart);
            String down = status(app.url());
            sh.expect(down.equals("connection refused"), "the app crashed on start: " + down);

            sh.say("2. The post-merge step: wait 1 s, probe 3 times, and on failure revert, redeploy, confirm.");
            List<String> args = List.of("stabilize", "-C", ci.toString(), "--samples", "3", "--interval", "200ms",
                    "--probe", "http:GET:" + app.url(), "--deploy", deploy,
                    "--token-secret-file", secretFile.toString(), "--repo-name", "app");
            List<String> first = new java.util.ArrayList<>(args);
            first.addAll(List.of("--wait", "1s", "--confirm-wait", "500ms", "--notify", "webhook:CHAT_WEBHOOK"));
            DemoShell.Run r = stabilize(ci, chat, first);
            String up = status(app.url());
            sh.expect(r.exitCode() == 5 && r.output().contains("recovered") && up.equals("HTTP 200"),
                    "exit 5: connection refused is a failure; reverted in git through the gate, redeployed, healthy"
                            + " again (" + up + "); " + chat.received().size() + " notification sent");

            sh.say("3. main on the server: the revert is a new commit on top, tied to the merge by its trailers.");
            r = sh.git("anyone", ci, "--git-dir=" + setup.serverRepo(), "log", "-1",
                    "--format=%h %s%n%(trailers:key=Gatekeeper-Reverts)%(trailers:key=Gatekeeper-Event)", "main");
            sh.expect(r.output().contains("Auto-revert:") && r.output().contains("Gatekeeper-Reverts:"),
                    "the history says what was reverted, why, and which run did it");

            sh.say("4. The step runs again for the same merge (a retried CI job): nothing to do.");
            String merge = sh.exec(ci, Map.of(), List.of("git", "rev-parse", "HEAD")).output().strip();
            List<String> again = new java.util.ArrayList<>(args);
            again.addAll(List.of("--wait", "0s", "--commit", merge));
            r = stabilize(ci, chat, again);
            sh.expect(r.exitCode() == 0, "exit 0: healthy, and no second revert");
        }

        Path log = ci.resolve(".git/gatekeeper/events.jsonl");
        sh.say("The CI clone's timeline (gatekeeper events tail --git-dir " + ci.getFileName() + "/.git):");
        for (var e : new EventLog(log, GateEnvironment.DEFAULT_MAX_FILE, GateEnvironment.DEFAULT_MAX_FILES)
                .readAll().events()) {
            sh.say("  " + Timeline.line(e));
        }
        sh.say("");
    }

    private DemoShell.Run stabilize(Path ci, AlertReceiver chat, List<String> args)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>();
        command.add(gatekeeper.toString());
        command.addAll(args);
        StringBuilder shown = new StringBuilder("gatekeeper");
        for (String a : args) {
            String s = a.replace(setup.root().toString() + "/", "");
            shown.append(' ').append(s.contains(" ") ? "'" + s + "'" : s);
        }
        return sh.run("ci", ci, Map.of("GATEKEEPER_JAVA", java, "CHAT_WEBHOOK", chat.url()), command,
                shown.toString());
    }

    private void pipelinePush(Path ci, Secret secret, boolean quiet)
            throws IOException, InterruptedException, GatekeeperException {
        String sha = sh.exec(ci, Map.of(), List.of("git", "rev-parse", "HEAD")).output().strip();
        String token = new MintTokenCommand().setKind(TokenClaims.Kind.PIPELINE).setRepository("app")
                .setRef("refs/heads/main").setSha(sha).setSecret(secret).call().token();
        if (quiet) {
            sh.quiet(ci, "git", "push", "-q", "-o", "gatekeeper-token=" + token, "origin", "HEAD:main");
        } else {
            DemoShell.Run r = sh.git("pipeline", ci, "push", "-q", "-o", "gatekeeper-token=" + token, "origin",
                    "HEAD:main");
            if (r.exitCode() != 0) {
                throw new IOException("the pipeline's push was refused: " + r.output());
            }
        }
    }

    /** "HTTP 200", or "connection refused" when nothing listens. */
    private static String status(String url) throws IOException, InterruptedException {
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(java.time.Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            return "HTTP " + r.statusCode();
        } catch (java.net.ConnectException e) {
            return "connection refused";
        }
    }
}
