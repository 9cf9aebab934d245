package dev.gatekeeper.cli.e2e;

import static dev.gatekeeper.cli.e2e.Pushes.assertAcceptedByGate;
import static dev.gatekeeper.cli.e2e.Pushes.assertRefusedByGate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pusher without any credentials cannot make the gate forget: one push of 1,000 refs carrying 1,000 junk
 * {@code -o gatekeeper-token=…} options, refused or not, leaves every earlier break-glass use and every allowed tip
 * readable, and {@code drift scan} still explains main's tip. Over {@code git daemon}, as from any anonymous pusher.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES) // a backstop: every process also has its own timeout
class AuditRetentionIT {
    static final String MAIN = "refs/heads/main";
    static final int FLOOD_REFS = 1000;
    static final int FLOOD_OPTIONS = 1000;

    @TempDir Path root;
    Map<String, String> env;
    Git git;
    Dist dist;
    GitServer server;
    GitDaemon daemon;
    String url;
    Path pipelineSecret;
    Path breakGlassSecret;

    void setUp(String policy) {
        env = Env.isolated(root);
        git = new Git(env);
        dist = new Dist(env);
        server = GitServer.create(git, root.resolve("srv"), "app");
        dist.install(Policies.write(root.resolve("policies"), "policy.yaml", policy), server.gitDir(), false);
        pipelineSecret = server.writeSecret("pipeline.secret");
        breakGlassSecret = server.writeSecret("break-glass.secret");
        daemon = GitDaemon.start(env, server.gitDir().getParent());
        url = daemon.url("app.git");
    }

    @AfterEach
    void stopDaemon() {
        if (daemon != null) {
            daemon.close();
        }
    }

    /** What happened before the flood: two break-glass uses and three pipeline pushes, each a new tip of main. */
    record History(List<String> breakGlassEventIds, List<String> allowedEventIds, String mainTip) {}

    History legitimateHistory(Path work) {
        List<String> breakGlass = new ArrayList<>();
        List<String> allowed = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            git.commit(work, "hotfix" + i + ".txt", "fix " + i + "\n", "hotfix " + i);
            Dist.BreakGlassToken bg = dist.breakGlass(root, "app", "INC-" + i + " outage", breakGlassSecret);
            Proc.Result r = git.push(work, List.of("gatekeeper-break-glass=" + bg.token()), url, "HEAD:main");
            r.expectOk();
            breakGlass.add(eventIdOf(r, "audited as "));
        }
        for (int i = 0; i < 3; i++) {
            String sha = git.commit(work, "pipeline" + i + ".txt", "merge " + i + "\n", "pipeline merge " + i);
            String token = dist.mint(root, "app", MAIN, sha, pipelineSecret);
            allowed.add(assertAcceptedByGate(git.push(work, List.of("gatekeeper-token=" + token), url, "HEAD:main"),
                    MAIN, "token:"));
        }
        return new History(breakGlass, allowed, server.main());
    }

    /**
     * One push of FLOOD_REFS new refs with FLOOD_OPTIONS junk token options: protected ones ({@code release/*}, each
     * refused with every junk token in its reason) or unprotected ones (accepted, the junk ignored).
     */
    Proc.Result flood(Path work, String tag, boolean protectedRefs) {
        git.commit(work, "flood-" + tag + ".txt", "junk\n", "flood " + tag);
        List<String> options = new ArrayList<>();
        for (int i = 0; i < FLOOD_OPTIONS; i++) {
            options.add("gatekeeper-token=gk1.junk-" + tag + "-" + i + "-" + "x".repeat(48) + ".c2lnbmF0dXJl");
        }
        List<String> refspecs = new ArrayList<>();
        for (int i = 0; i < FLOOD_REFS; i++) {
            refspecs.add("HEAD:refs/heads/" + (protectedRefs ? "release/flood-" + tag + "-" + i : "flood-" + tag
                    + "/" + i));
        }
        return git.push(work, options, url, refspecs.toArray(String[]::new));
    }

    @Test
    void aThousandRefFloodWithAThousandJunkTokensForgetsNoBreakGlassAndNoAllowedTip() {
        setUp(Policies.STANDARD);
        Path work = git.cloneInto(url, root.resolve("work"));
        History before = legitimateHistory(work);
        long bytesBefore = auditBytes();

        Proc.Result refused = flood(work, "a", true);
        assertRefusedByGate(refused, "refs/heads/release/flood-a-0", "refs/heads/release/*");
        long afterOne = auditBytes();
        Proc.Result allowed = flood(work, "b", false); // unprotected refs only: accepted, junk tokens and all
        allowed.expectOk();
        flood(work, "c", true).expectFailure();

        assertEquals(before.mainTip(), server.main(), "no flood moved main");
        // What one push may write is bounded (the issue measured 57 MB, up to 67 KB per event, for one such push).
        long perPush = afterOne - bytesBefore;
        assertTrue(perPush < 512 * 1024, "one refused flood push wrote " + perPush + " bytes of audit");
        for (String id : before.breakGlassEventIds()) {
            Proc.Result show = dist.run(root, "events", "show", id, "--git-dir", server.gitDir().toString());
            show.expectOk();
            assertTrue(show.stdout().contains("push.break-glass"), show.describe());
        }
        for (String id : before.allowedEventIds()) {
            dist.run(root, "events", "show", id, "--git-dir", server.gitDir().toString()).expectOk();
        }
        Proc.Result drift = dist.driftScanBare(root, server.gitDir(), root.resolve("state/drift.json"));
        assertEquals(0, drift.exitCode(), "drift must explain main's tip after the flood\n" + drift.describe());
    }

    /**
     * The ordinary log rotated away many times over (a small budget, three floods), and still: the security log has
     * the refusals, the ledger every break-glass use and every tip that landed, and drift sees no bypass.
     */
    @Test
    void whenOrdinaryTrafficRotatesTheEventsLogAwayTheLedgerStillExplainsEveryTip() {
        setUp(Policies.STANDARD.replace("  maxFileSize: 10MB", "  maxFileSize: 16KB\n  maxFiles: 1"));
        Path work = git.cloneInto(url, root.resolve("work"));
        History before = legitimateHistory(work);

        for (String tag : List.of("a", "b", "c")) {
            flood(work, tag, false).expectOk();
        }

        assertTrue(Files.exists(server.gatekeeperDir().resolve("events.jsonl.1")), "the ordinary log rotated");
        List<String> ledgerIds = server.events("ledger.jsonl").stream().map(e -> e.path("id").asText()).toList();
        assertTrue(ledgerIds.containsAll(before.breakGlassEventIds()), "break-glass uses in the ledger: " + ledgerIds);
        assertTrue(ledgerIds.containsAll(before.allowedEventIds()), "allowed pipeline pushes in the ledger");
        assertTrue(server.events("ledger.jsonl").stream().anyMatch(e -> "push.landed".equals(e.path("type").asText())
                && before.mainTip().equals(e.path("new").asText())), "main's tip landed, in the ledger");
        Proc.Result drift = dist.driftScanBare(root, server.gitDir(), root.resolve("state/drift.json"));
        assertEquals(0, drift.exitCode(), drift.describe());
    }

    private static String eventIdOf(Proc.Result r, String after) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(after)
                + "(ev-[A-Za-z0-9_-]+)").matcher(r.stderr());
        assertTrue(m.find(), "no event id after '" + after + "'\n" + r.describe());
        return m.group(1);
    }

    /** Every audit file the gate keeps, rotated ones included. */
    private long auditBytes() {
        try (Stream<Path> files = Files.list(server.gatekeeperDir())) {
            return files.filter(p -> p.getFileName().toString().contains(".jsonl")).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
