package dev.gatekeeper.cli.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.gatekeeper.cli.demo.AppService;
import dev.gatekeeper.cli.demo.HealthService;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatekeeper stabilize} from the packaged distribution, end to end: a bare server repository with the push
 * gate installed (main protected, pipeline tokens), a working clone, a "deployed checkout" served by a real HTTP
 * service on 127.0.0.1 whose health depends on a deployed file, and WireMock standing in for Slack, Discord and a
 * JSON webhook. Every merge and every revert reaches main through the gate with a pipeline token.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StabilizeIT {
    @TempDir
    Path root;

    private GatedApp app;
    private Map<String, String> env;
    private Git git;
    private Dist dist;
    private GitServer server;
    private Path secret;
    private Path work;
    private Path deployed;
    private HealthService service;
    private WireMockServer chat;

    @BeforeEach
    void setUp() throws IOException {
        app = new GatedApp(root);
        env = app.env;
        git = app.git;
        dist = app.dist;
        server = app.server;
        secret = app.secret;
        work = app.work;
        deployed = app.deployed;
        service = app.service;
        chat = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        chat.start();
        for (String path : List.of("/slack", "/discord", "/hook")) {
            chat.stubFor(post(path).willReturn(aResponse().withStatus(200)));
        }
    }

    @AfterEach
    void tearDown() {
        app.close();
        chat.stop();
    }

    private void pushThroughGate() {
        app.pushThroughGate(work);
    }

    /** A feature branch (changing the health file and/or app.conf when not null) merged with --no-ff into main (a two-parent merge), pushed and deployed. */
    private String mergeAndDeploy(String health, String conf) {
        git.ok(work, "switch", "-q", "-c", "feature", "main");
        if (health != null) {
            git.commit(work, HealthService.FILE, health, "feature: new health logic");
        }
        if (conf != null) {
            git.commit(work, "app.conf", conf, "feature: new config");
        }
        git.ok(work, "switch", "-q", "main");
        git.commit(work, "notes.txt", "main moved meanwhile " + System.nanoTime() + "\n", "notes on main");
        git.ok(work, "merge", "-q", "--no-ff", "-m", "Merge feature", "feature");
        pushThroughGate();
        deploy();
        return git.head(work);
    }

    private void deploy() {
        app.deploy();
    }

    private Proc.Result stabilize(Map<String, String> extraEnv, String... extra) {
        List<String> args = new ArrayList<>(List.of("stabilize", "-C", work.toString(), "--wait", "0s",
                "--samples", "2", "--interval", "50ms", "--confirm-wait", "0s",
                "--probe", "http:GET:" + service.url(),
                "--token-secret-file", secret.toString(), "--repo-name", "app"));
        if (!List.of(extra).contains("--deploy")) {
            args.addAll(List.of("--deploy", "git -C " + deployed + " pull -q --ff-only"));
        }
        args.addAll(List.of(extra));
        Map<String, String> e = new HashMap<>(extraEnv);
        e.putIfAbsent("SLACK_URL", "http://127.0.0.1:" + chat.port() + "/slack");
        e.putIfAbsent("DISCORD_URL", "http://127.0.0.1:" + chat.port() + "/discord");
        e.putIfAbsent("HOOK_URL", "http://127.0.0.1:" + chat.port() + "/hook");
        return dist.run(work, e, null, Duration.ofSeconds(120), args.toArray(String[]::new));
    }

    /** The tree {@code git revert -m 1 MERGE} makes on {@code onto}, by the git CLI in a scratch clone. */
    private String gitCliRevertTree(String merge, String onto) {
        Path scratch = git.cloneInto(server.fileUrl(), root.resolve("scratch-" + System.nanoTime()));
        git.ok(scratch, "checkout", "-q", onto);
        git.ok(scratch, "revert", "--no-edit", "-m", "1", merge);
        return git.out(scratch, "rev-parse", "HEAD^{tree}");
    }

    private List<String> cloneEventTypes() throws IOException {
        Path log = work.resolve(".git/gatekeeper/events.jsonl");
        List<String> types = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            types.add(GitServer.JSON.readTree(line).path("type").asText());
        }
        return types;
    }

    @Test
    void aHealthyMergeIsLeftAlone() throws IOException {
        String merge = mergeAndDeploy(null, "mode=stable\nport=8081\n");
        Proc.Result r = stabilize(Map.of(), "--notify", "slack:SLACK_URL");
        r.expectExit(0);
        assertTrue(r.stdout().contains("healthy"), r.describe());
        assertEquals(merge, server.main());
        assertEquals(List.of("stabilize.start", "probe.ok"), cloneEventTypes());
        chat.verify(0, postRequestedFor(urlEqualTo("/slack")));
    }

    @Test
    void aBadMergeIsRevertedThroughTheGateRedeployedAndAnnounced() throws IOException {
        String merge = mergeAndDeploy("broken: cache disabled\n", null);
        Proc.Result r = stabilize(Map.of(), "--json", "--notify", "slack:SLACK_URL", "--notify",
                "discord:DISCORD_URL", "--notify", "webhook:HOOK_URL");
        r.expectExit(5);
        JsonNode report = GitServer.JSON.readTree(r.stdout());
        String revert = report.path("revert").asText();
        assertEquals("pushed", report.path("revert_status").asText(), r.describe());
        assertTrue(report.path("threshold_to_push_ms").asLong() >= 0, r.describe());
        assertEquals("merge-tree", report.path("revert_method").asText(), r.describe());
        assertTrue(report.path("revert_ms").isNumber(), r.describe());
        assertEquals(revert, server.main(), "main on the server is the revert");
        assertEquals(merge, server.rev("refs/heads/main^"), "a commit on top, no rewrite");
        assertEquals(gitCliRevertTree(merge, merge), git.out(server.gitDir(), "rev-parse", "main^{tree}"),
                "the same tree as git revert -m 1");
        String message = git.out(server.gitDir(), "log", "-1", "--format=%B", "main");
        assertTrue(message.startsWith("Auto-revert: http GET " + service.url() + " failed: HTTP 500"), message);
        assertTrue(message.contains("Gatekeeper-Reverts: " + merge), message);
        assertTrue(message.contains("Gatekeeper-Event: " + report.path("run").asText()), message);

        JsonNode gate = server.events().stream().filter(e -> revert.equals(e.path("new").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("the gate saw no push of the revert: " + server.events()));
        assertEquals("push.allowed", gate.path("type").asText(), gate.toString());
        assertTrue(gate.path("proof").asText().startsWith("token:"), gate.toString());

        assertEquals("ok", Files.readString(deployed.resolve(HealthService.FILE)).strip(), "redeployed");
        assertEquals(List.of("stabilize.start", "probe.failed", "revert.pushed", "deploy.ran", "recovery.confirmed",
                "notify.sent", "notify.sent", "notify.sent"), cloneEventTypes());
        for (String path : List.of("/slack", "/discord", "/hook")) {
            chat.verify(1, postRequestedFor(urlEqualTo(path)));
        }
        String hook = chat.findAll(postRequestedFor(urlEqualTo("/hook"))).get(0).getBodyAsString();
        assertTrue(hook.contains(revert) && hook.contains("recovered"), hook);
        assertFalse(r.stderr().contains("/slack") || r.stderr().contains("/hook"), "URLs are secrets\n"
                + r.describe());

        Proc.Result tail = dist.run(work, "events", "tail", "--git-dir", work.resolve(".git").toString());
        tail.expectOk();
        assertTrue(tail.stdout().contains("revert.pushed") && tail.stdout().contains("recovery.confirmed"),
                tail.describe());

        // run again for the same merge: healthy now, and no second revert
        stabilize(Map.of(), "--commit", merge).expectExit(0);
        assertEquals(revert, server.main());
    }

    @Test
    void killedBetweenCommitAndPushTheRerunPushesThatSameRevert() throws IOException {
        String merge = mergeAndDeploy("broken: cache disabled\n", null);
        // the crash: a pre-push hook in the clone SIGKILLs the JVM that runs stabilize (the parent of the git
        // that runs the hook), after the revert commit is recorded and before anything reaches the server
        Path prePush = work.resolve(".git/hooks/pre-push");
        Files.writeString(prePush, "#!/bin/sh\nkill -9 \"$(awk '{print $4}' /proc/$PPID/stat)\"\nexit 1\n");
        prePush.toFile().setExecutable(true);
        Proc.Result killed = stabilize(Map.of());
        assertEquals(137, killed.exitCode(), killed.describe());
        assertEquals(merge, server.main(), "nothing pushed");
        Files.delete(prePush);
        String pending = git.out(work, "rev-parse", "refs/gatekeeper/reverts/" + merge);

        Proc.Result r = stabilize(Map.of(), "--commit", merge, "--json");
        r.expectExit(5);
        assertEquals("resumed", GitServer.JSON.readTree(r.stdout()).path("revert_status").asText(), r.describe());
        assertEquals(pending, server.main(), "the very commit the killed run made");
        assertEquals(merge, server.rev("refs/heads/main^"), "exactly one revert");
        git.run(work, "rev-parse", "-q", "--verify", "refs/gatekeeper/reverts/" + merge).expectExit(1);
        git.ok(work, "fsck", "--no-progress");
        assertEquals("", git.out(work, "status", "--porcelain"));
    }

    @Test
    void aConflictingRevertIsAbortedAndPagesAHuman() throws IOException {
        String merge = mergeAndDeploy("broken: cache disabled\n", "mode=fast\nport=8080\n");
        // a colleague fixes forward on the same lines before stabilize reverts
        Path other = git.cloneInto(server.fileUrl(), root.resolve("colleague"));
        git.commit(other, "app.conf", "mode=faster\nport=9090\n", "tune config");
        String token = dist.mint(other, "app", "refs/heads/main", git.head(other), secret);
        git.push(other, List.of("gatekeeper-token=" + token), "origin", "HEAD:main").expectOk();
        String tip = server.main();

        Proc.Result dry = stabilize(Map.of(), "--dry-run");
        dry.expectExit(3);
        assertTrue(dry.stdout().contains("dry run"), dry.describe());

        Proc.Result r = stabilize(Map.of(), "--notify", "webhook:HOOK_URL");
        r.expectExit(6);
        assertTrue(r.stdout().contains("conflicts in app.conf") && r.stdout().contains("git revert -m 1 " + merge),
                r.describe());
        assertEquals(tip, server.main());
        assertEquals("", git.out(work, "status", "--porcelain"), "the clone is left clean");
        String alert = chat.findAll(postRequestedFor(urlEqualTo("/hook"))).get(0).getBodyAsString();
        assertTrue(alert.contains("\"severity\":\"critical\""), alert);
        assertTrue(cloneEventTypes().contains("revert.conflict"));
    }

    @Test
    void aDeadNotificationEndpointNeverBlocksTheRevert() throws IOException {
        mergeAndDeploy("broken: cache disabled\n", null);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Proc.Result r = stabilize(Map.of("HOOK_URL", "http://127.0.0.1:" + port + "/down"), "--notify",
                "webhook:HOOK_URL");
        r.expectExit(5);
        assertTrue(r.stderr().contains("could not notify webhook http://127.0.0.1:" + port), r.describe());
        assertFalse(r.stderr().contains("/down"), "the URL is a secret\n" + r.describe());
        assertTrue(cloneEventTypes().contains("notify.failed"));
    }

    /**
     * The headline story with the README's own example shape: the deploy restarts the app, the app crashes on
     * start, the probe gets "connection refused" (and the database probe is fine); stabilize reverts, redeploys
     * and the app listens again. On main this was "inconclusive" (exit 4) and nothing was reverted.
     */
    @Test
    void theReadmeExampleRevertsAnAppThatStopsListeningAfterTheDeploy() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (AppService app = new AppService(root.resolve("app"), deployed, java, Dist.home().resolve("lib") + "/*");
             ServerSocket db = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Proc.Result started = Proc.run(root, env, null, Duration.ofSeconds(60),
                    List.of(app.restartScript().toString())).expectOk();
            assertTrue(started.stdout().contains("app: listening"), started.describe());
            String merge = mergeAndDeploy("crash: the cache settings do not parse\n", null);
            Proc.run(root, env, null, Duration.ofSeconds(60), List.of(app.restartScript().toString())).expectOk();
            assertTrue(app.state().orElse("").startsWith("crashed on start"), app.state().toString());

            Map<String, String> e = new HashMap<>();
            e.put("GATEKEEPER_PIPELINE_SECRET", Files.readString(secret).strip());
            e.put("SLACK_WEBHOOK_URL", "http://127.0.0.1:" + chat.port() + "/slack");
            e.put("PAGER_WEBHOOK_URL", "http://127.0.0.1:" + chat.port() + "/hook");
            // README: gatekeeper stabilize -C . --wait 60s --probe http:GET:http://127.0.0.1:9400/health
            //   --probe tcp:127.0.0.1:5432 --samples 5 --interval 5s
            //   --deploy 'git -C /srv/app pull --ff-only && systemctl restart app'
            //   --token-secret-env GATEKEEPER_PIPELINE_SECRET --repo-name app
            //   --notify slack:SLACK_WEBHOOK_URL --notify webhook:PAGER_WEBHOOK_URL
            Proc.Result r = dist.run(work, e, null, Duration.ofSeconds(120), "stabilize", "-C", ".", "--wait", "1s",
                    "--probe", "http:GET:" + app.url(), "--probe", "tcp:127.0.0.1:" + db.getLocalPort(),
                    "--samples", "5", "--interval", "200ms",
                    "--deploy", "git -C " + deployed + " pull -q --ff-only && " + app.restartScript(),
                    "--token-secret-env", "GATEKEEPER_PIPELINE_SECRET", "--repo-name", "app",
                    "--notify", "slack:SLACK_WEBHOOK_URL", "--notify", "webhook:PAGER_WEBHOOK_URL");
            r.expectExit(5);
            assertTrue(r.stdout().contains("recovered: http GET " + app.url() + " failed: connection refused"),
                    r.describe());
            assertEquals(merge, server.rev("refs/heads/main^"), "the revert is on top of the merge");
            assertEquals(gitCliRevertTree(merge, merge), git.out(server.gitDir(), "rev-parse", "main^{tree}"));
            assertTrue(app.state().orElse("").startsWith("listening"), "redeployed and restarted: " + app.state());
            assertEquals(List.of("stabilize.start", "probe.failed", "revert.pushed", "deploy.ran",
                    "recovery.confirmed", "notify.sent", "notify.sent"), cloneEventTypes());
            chat.verify(1, postRequestedFor(urlEqualTo("/slack")));
        }
    }

    @Test
    void aServiceThatAnswersNothingIsRevertedUnlessToldToHold() throws IOException {
        String merge = mergeAndDeploy("hang: the cache warms up forever\n", null);
        List<String> timeouts = List.of("--probe-timeout", "300ms", "--consecutive-error-limit", "1");
        List<String> held = new ArrayList<>(timeouts);
        held.add("--hold-on-errors");
        Proc.Result hold = stabilize(Map.of(), held.toArray(String[]::new));
        hold.expectExit(4);
        assertTrue(hold.stdout().contains("timed out (2 errors in a row (limit 1))")
                && hold.stdout().contains("holding on errors as configured (holdOnErrors)"), hold.describe());
        assertEquals(merge, server.main(), "held: nothing reverted");

        Proc.Result r = stabilize(Map.of(), timeouts.toArray(String[]::new));
        r.expectExit(5);
        assertTrue(r.stdout().contains("failed: timed out (2 errors in a row (limit 1))"), r.describe());
        assertEquals(merge, server.rev("refs/heads/main^"), "errors past the limit revert, as Argo aborts on Error");
    }

    /**
     * The case: the merge added a file that a later commit renamed. {@code git revert -m 1} stops on a
     * rename/delete conflict; on main stabilize pushed a revert whose tree was the tip's and said "recovered".
     */
    @Test
    void aMergeWhoseFileWasRenamedSinceIsHandedToAHumanNotRevertedToNothing() throws IOException {
        git.ok(work, "switch", "-q", "-c", "feature", "main");
        git.commit(work, "cache.conf", "size=0\n", "feature: cache settings");
        git.commit(work, HealthService.FILE, "broken: cache disabled\n", "feature: new health logic");
        git.ok(work, "switch", "-q", "main");
        git.commit(work, "notes.txt", "main moved meanwhile\n", "notes on main");
        git.ok(work, "merge", "-q", "--no-ff", "-m", "Merge feature", "feature");
        String merge = git.head(work);
        pushThroughGate();
        Files.createDirectories(work.resolve("conf"));
        git.ok(work, "mv", "cache.conf", "conf/cache.conf");
        git.ok(work, "commit", "-q", "-m", "move settings to conf/");
        pushThroughGate();
        deploy();
        String tip = server.main();

        Proc.Result r = stabilize(Map.of(), "--commit", merge, "--json");
        r.expectExit(6);
        JsonNode report = GitServer.JSON.readTree(r.stdout());
        assertEquals("conflict", report.path("revert_status").asText(), r.describe());
        assertEquals("conf/cache.conf", report.path("conflicts").path(0).asText(), r.describe());
        assertEquals(1, report.path("conflicts").size(), "the paths as a list");
        String summary = report.path("summary").asText();
        assertTrue(summary.contains("CONFLICT (rename/delete)"), summary);
        assertTrue(summary.contains("git switch main && git pull --ff-only origin main && git revert -m 1 " + merge),
                summary);
        assertEquals(tip, server.main(), "nothing pushed");
        git.run(work, "rev-parse", "-q", "--verify", "refs/gatekeeper/reverts/" + merge).expectExit(1);
        assertEquals("", git.out(work, "status", "--porcelain"));
    }

    @Test
    void aMergeThatChangedNothingIsNotRevertedWithAnEmptyCommit() throws IOException {
        git.commit(work, HealthService.FILE, "broken: by an earlier commit\n", "break health");
        pushThroughGate();
        // the same change on a feature branch and on main: the merge changes nothing relative to main
        git.ok(work, "switch", "-q", "-c", "feature", "main~1");
        git.commit(work, "notes.txt", "same\n", "feature: notes");
        git.ok(work, "switch", "-q", "main");
        git.commit(work, "notes.txt", "same\n", "main: notes");
        git.ok(work, "merge", "-q", "--no-ff", "-m", "Merge feature", "feature");
        String merge = git.head(work);
        assertEquals(git.out(work, "rev-parse", "HEAD^1^{tree}"), git.out(work, "rev-parse", "HEAD^{tree}"));
        pushThroughGate();
        deploy();

        Proc.Result r = stabilize(Map.of(), "--json");
        r.expectExit(6);
        JsonNode report = GitServer.JSON.readTree(r.stdout());
        assertEquals("nothing-to-revert", report.path("revert_status").asText(), r.describe());
        assertTrue(report.path("summary").asText().contains("nothing to revert"), r.describe());
        assertEquals(merge, server.main(), "no empty revert pushed");
        assertTrue(cloneEventTypes().contains("revert.skipped"));
    }

    @Test
    void aRefusedRevertPushShowsTheGatesWholeAnswerAndNamesTheRepositorySetting() throws IOException {
        String merge = mergeAndDeploy("broken: cache disabled\n", null);
        // the token is minted for "server" (e.g. derived from a remote URL ending in server.git); the gate expects app
        List<String> args = new ArrayList<>(List.of("stabilize", "-C", work.toString(), "--wait", "0s", "--samples",
                "1", "--probe", "http:GET:" + service.url(), "--token-secret-file", secret.toString(),
                "--repo-name", "server"));
        Proc.Result r = dist.run(work, args.toArray(String[]::new));
        r.expectExit(6);
        assertTrue(r.stdout().contains("the token was minted for repository 'server' and the gate expects 'app': "
                + "set the setting repoName to app"), r.describe());
        for (String line : List.of("remote: gatekeeper: REFUSED refs/heads/main", "remote: gatekeeper:   why: ",
                "remote: gatekeeper:   how to land it: ", "remote: gatekeeper:   event: ")) {
            assertTrue(r.stderr().contains("push refused: " + line), line + "\n" + r.describe());
        }
        assertEquals(merge, server.main());
        git.run(work, "rev-parse", "-q", "--verify", "refs/gatekeeper/reverts/" + merge).expectExit(1);
    }

    /**
     * A run killed (SIGKILL, the JVM and its git) while git fetch holds the remote-tracking branch's lock leaves
     * refs/remotes/origin/main.lock behind; every later fetch would fail on it. The rerun moves it aside (saved)
     * once it is stale and reverts.
     */
    @Test
    void killedWhileFetchingTheRerunMovesTheStaleLockAsideAndReverts() throws IOException {
        String merge = mergeAndDeploy("broken: cache disabled\n", null);
        // a colleague pushes meanwhile, so stabilize's fetch has a ref to update (and its lock to take)
        Path other = git.cloneInto(server.fileUrl(), root.resolve("colleague"));
        String theirs = git.commit(other, "notes.txt", "colleague's notes\n", "notes");
        String token = dist.mint(other, "app", "refs/heads/main", theirs, secret);
        git.push(other, List.of("gatekeeper-token=" + token), "origin", "HEAD:main").expectOk();
        Path hook = work.resolve(".git/hooks/reference-transaction");
        Path once = work.resolve(".git/kill-once");
        Files.writeString(hook, "#!/bin/sh\n"
                + "[ \"$1\" = prepared ] || exit 0\n"
                + "grep -q ' refs/remotes/origin/main$' || exit 0\n"
                + "[ -e '" + once + "' ] || exit 0\n"
                + "rm -f '" + once + "'\n"
                + "kill -9 \"$(awk '{print $4}' /proc/$PPID/stat)\" \"$PPID\"\n"
                + "exit 1\n");
        hook.toFile().setExecutable(true);
        Files.writeString(once, "");
        Proc.Result killed = stabilize(Map.of());
        assertEquals(137, killed.exitCode(), killed.describe());
        assertTrue(Files.exists(work.resolve(".git/refs/remotes/origin/main.lock")), "the lock the kill left");
        assertEquals(theirs, server.main(), "nothing pushed");

        Proc.Result r = stabilize(Map.of(), "--commit", merge);
        r.expectExit(5);
        assertTrue(r.stderr().contains("moved a stale lock aside"), r.describe());
        assertFalse(Files.exists(work.resolve(".git/refs/remotes/origin/main.lock")));
        try (var saved = Files.list(work.resolve(".git/gatekeeper/stale-locks"))) {
            assertEquals(1, saved.count());
        }
        assertEquals(theirs, server.rev("refs/heads/main^"), "exactly one revert, on the colleague's commit");
        assertEquals(gitCliRevertTree(merge, theirs), git.out(server.gitDir(), "rev-parse", "main^{tree}"));
        git.ok(work, "fsck", "--no-progress");
    }

    @Test
    void aRevertThatDoesNotHealTheServiceIsReportedAsStillFailing() throws IOException {
        String merge = mergeAndDeploy("broken: cache disabled\n", null);
        // the "deploy" does not deploy anything, so the service keeps running the broken merge
        Proc.Result r = stabilize(Map.of(), "--deploy", "true", "--notify", "webhook:HOOK_URL");
        r.expectExit(6);
        assertTrue(r.stdout().contains("still failing after reverting"), r.describe());
        assertEquals(merge, server.rev("refs/heads/main^"), "the revert was pushed all the same");
        assertTrue(cloneEventTypes().contains("recovery.failed"));
        String alert = chat.findAll(postRequestedFor(urlEqualTo("/hook"))).get(0).getBodyAsString();
        assertTrue(alert.contains("\"severity\":\"critical\"") && alert.contains("did NOT recover"), alert);
    }

    @Test
    void neitherARevertNorAFourthRevertOfTheDayIsMadeAutomatically() throws IOException {
        String merge = mergeAndDeploy("broken: cache disabled\n", null);
        stabilize(Map.of(), "--max-reverts-per-day", "1").expectExit(5);
        String revert = server.main();

        // the revert itself "fails" (the probe says so): never revert a revert
        git.ok(work, "pull", "-q", "--ff-only", "origin", "main");
        Proc.Result loop = stabilize(Map.of(), "--commit", revert, "--probe-timeout", "1s", "--probe",
                "cmd:false", "--notify", "webhook:HOOK_URL");
        loop.expectExit(6);
        assertTrue(loop.stdout().contains("automatic revert itself"), loop.describe());
        assertEquals(revert, server.main());

        // a second bad merge the same day with a cap of 1: stop and page
        git.ok(work, "branch", "-q", "-D", "feature");
        String second = mergeAndDeploy("broken: again\n", null);
        Proc.Result capped = stabilize(Map.of(), "--max-reverts-per-day", "1");
        capped.expectExit(6);
        assertTrue(capped.stdout().contains("already 1 automatic revert on main in the last 24 h (cap 1)"),
                capped.describe());
        assertEquals(second, server.main());
        assertTrue(merge.length() == 40 && cloneEventTypes().stream().filter("revert.skipped"::equals).count() == 2);
    }
}
