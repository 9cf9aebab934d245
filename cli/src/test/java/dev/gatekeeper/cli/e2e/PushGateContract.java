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
import java.util.HashMap;
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
    /** The pusher's git. */
    Git git;
    /** git on the server's repository, as an admin acts there: as the account it belongs to. */
    Git admin;
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

    /** The name {@code gatekeeper token mint} derives from this transport's URL when it is given no --repo. */
    abstract String derivedRepositoryName();

    /**
     * The account the server's repository belongs to, the hooks installed as root (as an admin installs them);
     * null: the test's own user owns it and installs.
     */
    Users.Account owner() {
        return null;
    }

    /** The policy this class installs. */
    Path policy(Path dir) {
        return Policies.standard(dir);
    }

    /** Set-up of the server's repository before the install, as its owner (e.g. enabling a service). */
    void prepareRepository(GitServer server, Git asOwner) {}

    /** Variables clients need to reach the transport (e.g. GIT_SSH_COMMAND); asked after {@link #openTransport}. */
    Map<String, String> transportEnv() {
        return Map.of();
    }

    /** How verify-push reads this transport's remote: {@code git} (JGit's transport) or {@code local}. */
    String verifyReader() {
        return "git";
    }

    @BeforeAll
    void setUpServer(@TempDir Path root) {
        Users.Account owner = owner(); // skipped (or failed, in CI) before anything starts
        env = new HashMap<>(Env.isolated(root));
        git = new Git(env);
        admin = git;
        dist = new Dist(env);
        server = GitServer.create(git, root.resolve("srv"), "app");
        if (owner != null) {
            Users.openUp(root);
            dist = dist.copyTo(root); // where the git account can read it, as an admin unpacks it into /opt
            owner.chownR(server.gitDir().getParent());
            Map<String, String> ownerEnv = new HashMap<>(env);
            ownerEnv.put("HOME", owner.home().toString());
            admin = git.runningAs(owner, ownerEnv);
        }
        prepareRepository(server, admin);
        installResult = dist.install(policy(root.resolve("policies")), server.gitDir(), withCds());
        assertContains(installResult, "installed: " + server.gitDir());
        assertContains(installResult, "receive.advertisePushOptions = true");
        if (owner == null) {
            secret = server.write("pipeline.secret", dist.newSecret(root) + "\n");
        } else {
            assertContains(installResult, "the gate ran as " + owner.name());
            // the admin's way (README): the secret is written as the owner; the pipeline keeps a copy
            Proc.Result installed = dist.run(root, "token", "new-secret", "--install", server.gitDir().toString())
                    .expectOk();
            assertContains(installed, "owned by " + owner.name());
            secret = Policies.write(root.resolve("ci"), "pipeline.secret", installed.stdout().strip() + "\n");
        }
        url = openTransport(root, server);
        Map<String, String> reach = transportEnv();
        if (!reach.isEmpty()) {
            env.putAll(reach);
            git = new Git(env);
            dist = dist.withEnv(env);
        }
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
        admin.ok(server.gitDir(), "--git-dir=" + server.gitDir(), "symbolic-ref", ref, target);
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
        admin.ok(server.gitDir(), "--git-dir=" + server.gitDir(), "update-ref", release, base);
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
        admin.ok(server.gitDir(), "--git-dir=" + server.gitDir(), "update-ref", target, git.head(work));
        String nick = alias("nick-" + UUID.randomUUID(), target);
        String sha = git.commit(work, "nick.txt", "fine\n", "through an unprotected alias");

        git.push(work, List.of(), url, "HEAD:" + nick).expectOk();

        assertEquals(sha, server.rev(target));
    }

    // ---- the pipeline's side: tokens named by the URL, what landed, verify-push ---------------------------------

    /** The pipeline pushes HEAD to main with a token minted for it (with --repo app); fails unless the gate accepts. */
    String pipelinePush(Path work, Path tmp) {
        String sha = git.head(work);
        assertAcceptedByGate(git.push(work, List.of("gatekeeper-token=" + mint(tmp, sha)), url, "HEAD:main"), MAIN,
                "token:tok-");
        return sha;
    }

    @Test
    void aTokenMintedWithoutRepoNamesTheRepositoryAsTheGateKnowsIt(@TempDir Path tmp) {
        Path work = cloneOf(tmp);
        String sha = git.commit(work, "derived.txt", "named by the URL\n", "a pipeline that names no repository");

        String token = dist.mintWithDefaultRepo(work, MAIN, sha, secret);

        assertEquals(derivedRepositoryName(), Dist.claim(token, "repo"), "the name token mint derived from " + url);
        String id = assertAcceptedByGate(git.push(work, List.of("gatekeeper-token=" + token), url, "HEAD:main"),
                MAIN, "token:tok-");
        assertEquals(sha, server.main());
        assertEquals("app", server.requireEvent(id).path("repository").asText(), "events name the recorded id");
    }

    @Test
    void whatLandedIsRecordedAfterGitWroteIt(@TempDir Path tmp) {
        Path work = cloneOf(tmp);
        String branch = "refs/heads/landed/" + UUID.randomUUID();
        String feature = git.commit(work, "landed.txt", "feature\n", "a feature that lands");
        git.push(work, List.of(), url, "HEAD:" + branch).expectOk();
        git.commit(work, "landed.txt", "pipeline\n", "the pipeline's merge");
        String merged = pipelinePush(work, tmp);
        String refusedSha = git.commit(work, "landed.txt", "direct\n", "straight to main");
        assertRefusedByGate(git.push(work, List.of(), url, "HEAD:main"), MAIN, MAIN);

        List<JsonNode> landed = server.events().stream().filter(e -> "push.landed".equals(e.path("type").asText()))
                .toList();
        assertTrue(landed.stream().anyMatch(e -> branch.equals(e.path("ref").asText())
                && feature.equals(e.path("new").asText())), "the feature branch landed: " + landed);
        JsonNode main = landed.stream().filter(e -> MAIN.equals(e.path("ref").asText())
                && merged.equals(e.path("new").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no push.landed for main at " + merged + ": " + landed));
        assertEquals("landed", main.path("decision").asText(), main.toString());
        assertEquals(MAIN, main.path("rule").asText(), "judged by main's rule: " + main);
        assertTrue(landed.stream().noneMatch(e -> refusedSha.equals(e.path("new").asText())),
                "a refused push never lands: " + landed);
    }

    /** {@code gatekeeper verify-push --json} in the clone, against its remote {@code remote}. */
    Proc.Result verifyPush(Path work, String remote, String expect, String timeout) {
        return dist.run(work, Map.of(), null, Proc.DEFAULT_TIMEOUT, "verify-push", "--json", "--no-heartbeat",
                "--remote", remote, "--branch", "main", "--expect", expect, "--timeout", timeout);
    }

    @Test
    void verifyPushReadsTheRemoteAndTellsALandedPushFromARefusedOne(@TempDir Path tmp) {
        Path work = cloneOf(tmp);
        git.commit(work, "verify.txt", "landed\n", "the pipeline's merge");
        String landed = pipelinePush(work, tmp);

        Proc.Result yes = verifyPush(work, "origin", landed, "20s");

        yes.expectExit(0);
        JsonNode v = json(yes);
        assertEquals("verified", v.path("verdict").asText(), yes.describe());
        assertEquals(verifyReader(), v.path("reader").asText(), yes.describe());
        assertEquals(landed, v.path("after").asText(), yes.describe());

        // an agent that says it pushed, but the gate refused it
        String claimed = git.commit(work, "verify.txt", "claimed\n", "an agent's direct push");
        assertRefusedByGate(git.push(work, List.of(), url, "HEAD:main"), MAIN, MAIN);

        Proc.Result no = verifyPush(work, "origin", claimed, "2s");

        no.expectExit(3);
        JsonNode n = json(no);
        assertEquals("not-verified", n.path("verdict").asText(), no.describe());
        assertEquals(landed, n.path("after").asText(), "what the remote really holds\n" + no.describe());
        assertEquals(verifyReader(), n.path("reader").asText(), no.describe());
    }

    static JsonNode json(Proc.Result r) {
        try {
            return GitServer.JSON.readTree(r.stdout());
        } catch (java.io.IOException e) {
            throw new AssertionError("not one JSON object on stdout\n" + r.describe(), e);
        }
    }
}
