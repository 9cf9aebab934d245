package dev.gatekeeper.cli.e2e;

import static dev.gatekeeper.cli.e2e.Pushes.assertAcceptedByGate;
import static dev.gatekeeper.cli.e2e.Pushes.assertContains;
import static dev.gatekeeper.cli.e2e.Pushes.assertNotContains;
import static dev.gatekeeper.cli.e2e.Pushes.assertRefusedByGate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push-gate contract over smart HTTP: Debian's lighttpd on 127.0.0.1, as the git account, runs
 * git-http-backend behind HTTP basic authentication, so the hook gets the authenticated user in
 * {@code REMOTE_USER}. The policy names REMOTE_USER in {@code identity.pusherEnv} and lets {@code ci-bot} land on
 * main; the contract's pushes come from {@code dev}, an authenticated user who is no pipeline. Hooks installed
 * without the class-data-sharing archive.
 */
class HttpPushGateIT extends ServedPushGateContract {
    static final String PIPELINE = "ci-bot";
    static final String DEVELOPER = "dev";
    static final String OTHER = "mallory";

    private final Map<String, String> passwords = Map.of(PIPELINE, UUID.randomUUID().toString(),
            DEVELOPER, UUID.randomUUID().toString(), OTHER, UUID.randomUUID().toString());
    private SmartHttpServer http;

    @Override
    boolean withCds() {
        return false;
    }

    @Override
    Path policy(Path dir) {
        return Policies.withPipelinePusher(dir, "REMOTE_USER", PIPELINE);
    }

    @Override
    void prepareRepository(GitServer server, Git asOwner) {
        // git-http-backend's receive-pack, on for this repository as an admin turns it on
        asOwner.ok(server.gitDir(), "--git-dir=" + server.gitDir(), "config", "http.receivepack", "true");
    }

    @Override
    String openTransport(Path root, GitServer server) {
        http = SmartHttpServer.start(root.resolve("lighttpd"), owner(), server.gitDir().getParent(), passwords);
        return urlFor(http, DEVELOPER);
    }

    private String urlFor(SmartHttpServer s, String user) {
        return s.url(user, passwords.get(user), server.gitDir().getFileName().toString());
    }

    @Override
    Another openAnother(Path dir) {
        SmartHttpServer other = SmartHttpServer.start(dir, owner(), server.gitDir().getParent(), passwords);
        return new Another(urlFor(other, DEVELOPER), other);
    }

    @Override
    String derivedRepositoryName() {
        return "app"; // http://…/app.git below the project root: the id recorded at install
    }

    @Override
    void closeTransport() {
        if (http != null) {
            http.close();
        }
    }

    @Test
    void theAuthenticatedPipelinePusherLandsOnMainWithoutATokenAndAnotherAuthenticatedUserDoesNot(
            @TempDir Path tmp) {
        Path work = cloneOf(tmp);
        String before = server.main();
        String sha = git.commit(work, "pusher.txt", "by the pipeline's account\n", "the pipeline's merge");

        Proc.Result other = git.push(work, List.of(), urlFor(http, OTHER), "HEAD:main");

        String refused = assertRefusedByGate(other, MAIN, MAIN);
        assertContains(other, "pusher '" + OTHER + "' is not a pipeline identity");
        assertEquals(before, server.main());
        assertEquals(OTHER, server.requireEvent(refused).path("pusher").asText());

        Proc.Result pipeline = git.push(work, List.of(), urlFor(http, PIPELINE), "HEAD:main");

        String id = assertAcceptedByGate(pipeline, MAIN, "pusher:" + PIPELINE);
        assertEquals(sha, server.main());
        JsonNode e = server.requireEvent(id);
        assertEquals("push.allowed", e.path("type").asText(), e.toString());
        assertEquals(PIPELINE, e.path("pusher").asText(), e.toString());
        assertEquals("pusher:" + PIPELINE, e.path("proof").asText(), e.toString());
        assertTrue(server.events().stream().anyMatch(x -> "push.landed".equals(x.path("type").asText())
                && sha.equals(x.path("new").asText()) && PIPELINE.equals(x.path("pusher").asText())),
                "landed, by " + PIPELINE);
        for (String password : passwords.values()) {
            assertTrue(server.events().stream().noneMatch(x -> x.toString().contains(password)),
                    "no password (the hook sees HTTP_AUTHORIZATION) in the audit trail");
        }
    }

    @Test
    void aClientCannotNameThePipelinePusherInAHeader(@TempDir Path tmp) {
        Path work = cloneOf(tmp);
        String before = server.main();
        git.commit(work, "header.txt", "claims to be the pipeline\n", "dressed up");

        // CGI turns request headers into HTTP_* variables: HTTP_REMOTE_USER, never REMOTE_USER
        Proc.Result r = git.run(work, "-c", "http.extraHeader=Remote-User: " + PIPELINE, "push", urlFor(http, OTHER),
                "HEAD:main");

        String id = assertRefusedByGate(r, MAIN, MAIN);
        assertEquals(before, server.main());
        assertEquals(OTHER, server.requireEvent(id).path("pusher").asText());
    }

    @Test
    void verifyPushReadsSmartHttpWithTheUrlsCredentialsAndNeverPrintsThem(@TempDir Path tmp) throws IOException {
        Path work = cloneOf(tmp);
        String tip = server.main();

        Proc.Result r = verifyPush(work, "origin", tip, "20s");

        r.expectExit(0);
        assertEquals("verified", json(r).path("verdict").asText(), r.describe());
        assertNotContains(r, passwords.get(DEVELOPER));
        assertContains(r, "127.0.0.1:" + http.port());
        String audit = Files.readString(Path.of(json(r).path("audit_log").asText()), StandardCharsets.UTF_8);
        assertTrue(audit.contains("push.verified") && !audit.contains(passwords.get(DEVELOPER)),
                "the clone's audit log records the verification, never the password:\n" + audit);
    }
}
