package dev.gatekeeper.cli.e2e;

import static dev.gatekeeper.cli.e2e.Pushes.assertAcceptedByGate;
import static dev.gatekeeper.cli.e2e.Pushes.assertContains;
import static dev.gatekeeper.cli.e2e.Pushes.assertNotContains;
import static dev.gatekeeper.cli.e2e.Pushes.assertRefusedByGate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the push gate must do for a pusher, whatever the transport: one bare server repository per class with the
 * gate installed by {@code gatekeeper hooks install}, a fresh clone per test, real {@code git push}, tokens minted
 * by {@code gatekeeper token mint}. Subclasses say how pushes reach the server.
 *
 * <p>Tests share the server, so each one only relies on what it does itself: refused pushes change nothing, and
 * accepted ones only move main forward from wherever it is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a backstop: every process also has its own timeout
abstract class PushGateContract {
    static final String MAIN = "refs/heads/main";

    Map<String, String> env;
    Git git;
    Dist dist;
    GitServer server;
    Path secret;
    Proc.Result installResult;
    private String url;

    /** Whether this class installs the hooks with the class-data-sharing archive. */
    abstract boolean withCds();

    /** Makes the server reachable; returns the URL to clone from and push to. */
    abstract String openTransport(Path root, GitServer server);

    abstract void closeTransport();

    @BeforeAll
    void setUpServer(@TempDir Path root) {
        env = Env.isolated(root);
        git = new Git(env);
        dist = new Dist(env);
        server = GitServer.create(git, root.resolve("srv"), "app");
        installResult = dist.install(Policies.standard(root.resolve("policies")), server.gitDir(), withCds());
        assertContains(installResult, "installed: " + server.gitDir());
        assertContains(installResult, "receive.advertisePushOptions = true");
        secret = server.write("pipeline.secret", dist.newSecret(root) + "\n");
        url = openTransport(root, server);
    }

    @AfterAll
    void tearDownTransport() {
        closeTransport();
    }

    String url() {
        return url;
    }

    Path cloneOf(Path tmp) {
        return git.cloneInto(url, tmp.resolve("work"));
    }

    String mint(Path tmp, String sha, String... extra) {
        return dist.mint(tmp, "app", MAIN, sha, secret, extra);
    }

    @Test
    void directPushToMainIsRefusedWithRuleHowToLandAndEventId(@TempDir Path tmp) {
        Path work = cloneOf(tmp);
        String before = server.main();
        String sha = git.commit(work, "direct.txt", "straight to main\n", "direct push");

        Proc.Result r = git.push(work, List.of(), url, "HEAD:main");

        String id = assertRefusedByGate(r, MAIN, MAIN);
        assertContains(r, "why: direct push to a protected ref: no pipeline proof");
        assertContains(r, "how to land it: " + Policies.HOW_TO_LAND);
        assertContains(r, "! [remote rejected]");
        assertEquals(before, server.main(), "a refused push must not move main");
        JsonNode e = server.requireEvent(id);
        assertEquals("push.refused", e.path("type").asText(), e.toString());
        assertEquals("refused", e.path("decision").asText(), e.toString());
        assertEquals(MAIN, e.path("ref").asText(), e.toString());
        assertEquals(sha, e.path("new").asText(), e.toString());
        assertEquals("app", e.path("repository").asText(), e.toString());

        Proc.Result show = dist.run(tmp, "events", "show", id, "--git-dir", server.gitDir().toString()).expectOk();
        assertTrue(show.stdout().contains(id) && show.stdout().contains("push.refused")
                && show.stdout().contains(sha), "events show should print the refusal\n" + show.describe());
    }

    @Test
    void featureBranchIsAccepted(@TempDir Path tmp) {
        Path work = cloneOf(tmp);
        String branch = "refs/heads/feature/" + UUID.randomUUID();
        String sha = git.commit(work, "feature.txt", "work in progress\n", "feature work");

        Proc.Result r = git.push(work, List.of(), url, "HEAD:" + branch).expectOk();

        assertNotContains(r, "REFUSED");
        assertContains(r, "[new branch]");
        assertEquals(sha, server.rev(branch));
        JsonNode e = server.events().stream().filter(x -> branch.equals(x.path("ref").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no audit event for " + branch));
        assertEquals("push.allowed", e.path("type").asText(), e.toString());
        assertEquals("unprotected", e.path("rule").asText(), e.toString());
    }

    @Test
    void validPipelineTokenIsAccepted(@TempDir Path tmp) {
        Path work = cloneOf(tmp);
        String sha = git.commit(work, "pipeline.txt", "merged by the pipeline\n", "pipeline merge");
        String token = mint(tmp, sha);

        Proc.Result r = git.push(work, List.of("gatekeeper-token=" + token), url, "HEAD:main");

        String id = assertAcceptedByGate(r, MAIN, "token:tok-");
        assertEquals(sha, server.main(), "main should now be the pipeline's commit");
        JsonNode e = server.requireEvent(id);
        assertEquals("push.allowed", e.path("type").asText(), e.toString());
        assertTrue(e.path("proof").asText().startsWith("token:tok-"), e.toString());
        assertEquals(sha, e.path("new").asText(), e.toString());
        assertNotContains(r, token); // the token itself is a credential: never echoed back
    }

    @Test
    void tokenReplayedForAnotherCommitIsRefused(@TempDir Path tmp) {
        Path work = cloneOf(tmp);
        String first = git.commit(work, "replay.txt", "one\n", "first");
        String token = mint(tmp, first);
        assertAcceptedByGate(git.push(work, List.of("gatekeeper-token=" + token), url, "HEAD:main"), MAIN,
                "token:");
        String second = git.commit(work, "replay.txt", "two\n", "second, not what the pipeline vouched for");

        Proc.Result r = git.push(work, List.of("gatekeeper-token=" + token), url, "HEAD:main");

        assertRefusedByGate(r, MAIN, MAIN);
        assertContains(r, "is for commit " + first.substring(0, 12) + ", not " + second.substring(0, 12));
        assertEquals(first, server.main(), "the replayed token must not move main");
    }

    @Test
    void tokenForAnotherRefIsRefused(@TempDir Path tmp) {
        Path work = cloneOf(tmp);
        String before = server.main();
        String sha = git.commit(work, "ref.txt", "for a release\n", "release candidate");
        String release = "refs/heads/release/" + UUID.randomUUID();
        String token = dist.mint(tmp, "app", release, sha, secret);

        Proc.Result r = git.push(work, List.of("gatekeeper-token=" + token), url, "HEAD:main");

        assertRefusedByGate(r, MAIN, MAIN);
        assertContains(r, "is for " + release + ", not " + MAIN);
        assertEquals(before, server.main());
        // the same token is good for the ref it names (release/* is protected too): only the ref was wrong
        assertAcceptedByGate(git.push(work, List.of("gatekeeper-token=" + token), url, "HEAD:" + release), release,
                "token:");
        assertEquals(sha, server.rev(release));
    }

    @Test
    void tokenForAnotherRepositoryIsRefused(@TempDir Path tmp) {
        Path work = cloneOf(tmp);
        String before = server.main();
        String sha = git.commit(work, "repo.txt", "elsewhere\n", "for another repository");
        String token = dist.mint(tmp, "other", MAIN, sha, secret);

        Proc.Result r = git.push(work, List.of("gatekeeper-token=" + token), url, "HEAD:main");

        assertRefusedByGate(r, MAIN, MAIN);
        assertContains(r, "is for repository 'other', not 'app'");
        assertEquals(before, server.main());
    }

    @Test
    void expiredTokenIsRefused(@TempDir Path tmp) throws InterruptedException {
        Path work = cloneOf(tmp);
        String before = server.main();
        String sha = git.commit(work, "late.txt", "too late\n", "late pipeline");
        String token = mint(tmp, sha, "--ttl", "1s");
        Thread.sleep(2500);

        Proc.Result r = git.push(work, List.of("gatekeeper-token=" + token), url, "HEAD:main");

        assertRefusedByGate(r, MAIN, MAIN);
        assertContains(r, "expired");
        assertEquals(before, server.main());
    }

    @Test
    void forcePushIsRefusedEvenWithAValidTokenForTheNewCommit(@TempDir Path tmp) {
        Path work = cloneOf(tmp);
        String before = server.main();
        git.ok(work, "commit", "-q", "--amend", "--allow-empty", "-m", "history, rewritten");
        String rewritten = git.head(work);
        assertNotEquals(before, rewritten);
        assertEquals(1, git.run(work, "merge-base", "--is-ancestor", before, rewritten).exitCode(),
                "the amended commit must not contain main's tip (else this is no force-push)");
        String token = mint(tmp, rewritten);

        Proc.Result r = git.push(work, List.of("gatekeeper-token=" + token), url, "+HEAD:main");

        assertRefusedByGate(r, MAIN, MAIN);
        assertContains(r, "non-fast-forward update (force-push) of a protected ref is refused");
        assertEquals(before, server.main(), "main must keep its history");
    }

    @Test
    void deletionOfMainIsRefused(@TempDir Path tmp) {
        Path work = cloneOf(tmp);
        String before = server.main();
        assertNotNull(before);

        Proc.Result r = git.push(work, List.of(), url, ":main");

        assertRefusedByGate(r, MAIN, MAIN);
        assertContains(r, "deleting a protected ref is refused");
        assertEquals(before, server.main(), "main must still exist");
    }
    // ---- symbolic refs: an alias is judged by the ref git writes through it ----------------------------------------

    /** Makes {@code refs/heads/<name>} on the server a symbolic ref to {@code target}, as an admin would. */
    String alias(String name, String target) {
        String ref = "refs/heads/" + name;
        git.ok(server.gitDir(), "--git-dir=" + server.gitDir(), "symbolic-ref", ref, target);
        return ref;
    }

    @Test
    void aDirectPushThroughASymbolicAliasOfMainIsRefusedAsMain(@TempDir Path tmp) {
        String master = alias("master-" + UUID.randomUUID(), MAIN); // main renamed, the old name kept as alias
        Path work = cloneOf(tmp);
        String before = server.main();
        git.commit(work, "alias.txt", "through the alias\n", "direct push via the old name");

        Proc.Result r = git.push(work, List.of(), url, "HEAD:" + master);

        String id = assertRefusedByGate(r, MAIN, MAIN);
        assertContains(r, "through the symbolic ref " + master);
        assertEquals(before, server.main(), "git writes through the alias: main must not move");
        JsonNode e = server.requireEvent(id);
        assertEquals(MAIN, e.path("ref").asText(), e.toString());
        assertEquals(master, e.path("details").path("via").asText(), e.toString());
    }

    @Test
    void aPipelineTokenForMainIsAcceptedThroughTheAliasAndTheLedgerNamesMain(@TempDir Path tmp) {
        String master = alias("master-" + UUID.randomUUID(), MAIN);
        Path work = cloneOf(tmp);
        String sha = git.commit(work, "alias-ok.txt", "pipeline via alias\n", "pipeline push via the old name");

        Proc.Result r = git.push(work, List.of("gatekeeper-token=" + mint(tmp, sha)), url, "HEAD:" + master);

        String id = assertAcceptedByGate(r, MAIN, "token:tok-");
        assertEquals(sha, server.main());
        JsonNode e = server.requireEvent(id);
        assertEquals(MAIN, e.path("ref").asText(), e.toString());
        assertEquals(master, e.path("details").path("via").asText(), e.toString());
    }

    @Test
    void aTokenMintedForTheAliasNameIsNotATokenForMain(@TempDir Path tmp) {
        String master = alias("master-" + UUID.randomUUID(), MAIN);
        Path work = cloneOf(tmp);
        String before = server.main();
        String sha = git.commit(work, "alias-name.txt", "token names the alias\n", "token for the alias");
        String token = dist.mint(tmp, "app", master, sha, secret);

        Proc.Result r = git.push(work, List.of("gatekeeper-token=" + token), url, "HEAD:" + master);

        assertRefusedByGate(r, MAIN, MAIN);
        assertContains(r, "is for " + master + ", not " + MAIN);
        assertEquals(before, server.main());
    }

    @Test
    void deletingMainThroughItsAliasIsRefused(@TempDir Path tmp) {
        String master = alias("master-" + UUID.randomUUID(), MAIN);
        Path work = cloneOf(tmp);
        String before = server.main();

        Proc.Result r = git.push(work, List.of(), url, ":" + master);

        assertRefusedByGate(r, MAIN, MAIN);
        assertContains(r, "deleting a protected ref is refused");
        assertEquals(before, server.main(), "deleting the alias would delete main");
    }

    @Test
    void anAliasOfAnAliasOfAReleaseBranchIsProtectedLikeTheReleaseBranch(@TempDir Path tmp) {
        Path work = cloneOf(tmp);
        String release = "refs/heads/release/" + UUID.randomUUID();
        String base = git.head(work);
        git.ok(server.gitDir(), "--git-dir=" + server.gitDir(), "update-ref", release, base);
        String inner = alias("inner-" + UUID.randomUUID(), release);
        String outer = alias("outer-" + UUID.randomUUID(), inner);
        git.commit(work, "chain.txt", "two hops\n", "through two aliases");

        Proc.Result r = git.push(work, List.of(), url, "HEAD:" + outer);

        assertRefusedByGate(r, release, "refs/heads/release/*");
        assertEquals(base, server.rev(release));
    }

    @Test
    void anUpdateThroughASymbolicRefLoopIsRefusedAsUnresolvable(@TempDir Path tmp) throws java.io.IOException {
        String a = "refs/heads/loop-a-" + UUID.randomUUID();
        String b = "refs/heads/loop-b-" + UUID.randomUUID();
        Path work = cloneOf(tmp);
        git.commit(work, "loop.txt", "nowhere\n", "into a loop");
        java.nio.file.Files.writeString(server.gitDir().resolve(a), "ref: " + b + "\n");
        java.nio.file.Files.writeString(server.gitDir().resolve(b), "ref: " + a + "\n");
        try {
            Proc.Result r = git.push(work, List.of(), url, "HEAD:" + a);

            assertRefusedByGate(r, a, "unresolvable-symref");
            assertContains(r, "cannot tell which ref git would write");
        } finally { // the other tests share this server: leave no broken refs behind
            java.nio.file.Files.deleteIfExists(server.gitDir().resolve(a));
            java.nio.file.Files.deleteIfExists(server.gitDir().resolve(b));
        }
    }

    @Test
    void anAliasBetweenUnprotectedBranchesStaysUnprotected(@TempDir Path tmp) {
        Path work = cloneOf(tmp);
        String target = "refs/heads/topic-" + UUID.randomUUID();
        git.ok(server.gitDir(), "--git-dir=" + server.gitDir(), "update-ref", target, git.head(work));
        String nick = alias("nick-" + UUID.randomUUID(), target);
        String sha = git.commit(work, "nick.txt", "fine\n", "through an unprotected alias");

        git.push(work, List.of(), url, "HEAD:" + nick).expectOk();

        assertEquals(sha, server.rev(target));
    }
}
