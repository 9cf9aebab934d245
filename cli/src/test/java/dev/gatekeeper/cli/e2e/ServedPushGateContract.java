package dev.gatekeeper.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekeeper.cli.demo.HealthService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push-gate contract on a server as it is run in production: the repository belongs to the git account
 * ({@link Users#GIT}), an admin installed the hooks (and the pipeline secret) as root with the real distribution,
 * and a network server authenticates the pusher and runs receive-pack and the hooks as the git account. On top of
 * the contract: the pipeline's tools over the same transport (verify-push reading the remote through JGit, and
 * inconclusive when the server is down; stabilize pushing its revert through the gate), and the repository staying
 * the git account's.
 */
abstract class ServedPushGateContract extends PushGateContract {
    /** A second server of this class's kind for the same repository, on its own port, and its URL. */
    record Another(String url, AutoCloseable server) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    abstract Another openAnother(Path dir);

    @Override
    Users.Account owner() {
        return Users.require(Users.GIT);
    }

    @Test
    void verifyPushReadsAgainWhileTheServerIsDownAndEndsInconclusiveNeverNotVerified(@TempDir Path tmp)
            throws Exception {
        Path work = cloneOf(tmp);
        String tip = server.main();
        try (Another other = openAnother(tmp.resolve("another"))) {
            git.ok(work, "remote", "add", "other", other.url());
            Proc.Result up = verifyPush(work, "other", tip, "20s");
            up.expectExit(0); // the second server answers: what follows is about it being down, nothing else
            assertEquals("verified", json(up).path("verdict").asText(), up.describe());

            other.server().close();
            Proc.Result down = verifyPush(work, "other", tip, "3s");

            down.expectExit(4);
            JsonNode v = json(down);
            assertEquals("inconclusive", v.path("verdict").asText(), down.describe());
            assertEquals("git", v.path("reader").asText(), down.describe());
            assertTrue(v.path("after").isNull(), "nothing was read\n" + down.describe());
            assertTrue(v.path("reason").asText().contains("Connection refused"), down.describe());
            // a server that is down may be back in a second (a restart): read again until the deadline, as for
            // any unreachable remote, never given up at the first refusal as if the repository did not exist
            assertTrue(v.path("attempts").asInt() >= 2, "read again while the deadline allows\n" + down.describe());
        }
    }

    @Test
    void stabilizeRevertsABadMergeThroughTheGateWithATokenForTheRepositoryItsUrlNames(@TempDir Path tmp)
            throws IOException {
        Path work = cloneOf(tmp);
        git.commit(work, HealthService.FILE, "ok\n", "health file");
        pipelinePush(work, tmp);
        Path deployed = git.cloneInto(url(), tmp.resolve("deployed"));
        try (HealthService service = new HealthService(deployed)) {
            String feature = "feature-" + UUID.randomUUID();
            git.ok(work, "switch", "-q", "-c", feature);
            git.commit(work, HealthService.FILE, "broken: cache disabled\n", "feature: new health logic");
            git.ok(work, "switch", "-q", "main");
            git.commit(work, "notes.txt", "main moved meanwhile\n", "notes on main");
            git.ok(work, "merge", "-q", "--no-ff", "-m", "Merge " + feature, feature);
            String merge = pipelinePush(work, tmp);
            git.ok(deployed, "pull", "-q", "--ff-only");

            // no --repo-name: stabilize names the repository by the clone's URL, as token mint does
            Proc.Result r = dist.run(work, Map.of(), null, Duration.ofSeconds(120), "stabilize", "-C",
                    work.toString(), "--wait", "0s", "--samples", "2", "--interval", "50ms", "--confirm-wait", "0s",
                    "--probe", "http:GET:" + service.url(), "--token-secret-file", secret.toString(),
                    "--deploy", "git -C " + deployed + " pull -q --ff-only", "--json");

            r.expectExit(5);
            JsonNode report = json(r);
            assertEquals("pushed", report.path("revert_status").asText(), r.describe());
            String revert = report.path("revert").asText();
            assertEquals(revert, server.main(), "main on the server is the revert\n" + r.describe());
            assertEquals(merge, server.rev(MAIN + "^"), "one commit on top of the merge, no rewrite");
            JsonNode allowed = server.events().stream().filter(e -> revert.equals(e.path("new").asText())
                    && "push.allowed".equals(e.path("type").asText())).findFirst()
                    .orElseThrow(() -> new AssertionError("the gate saw no push of the revert: " + server.events()));
            assertTrue(allowed.path("proof").asText().startsWith("token:tok-"), allowed.toString());
            assertTrue(server.events().stream().anyMatch(e -> "push.landed".equals(e.path("type").asText())
                    && revert.equals(e.path("new").asText())), "the revert landed");
            assertEquals("ok", Files.readString(deployed.resolve(HealthService.FILE)).strip(), "redeployed");
        }
    }

    @Test
    void everyFileOfTheRepositoryStaysTheGitAccountsAfterPushes(@TempDir Path tmp) throws IOException {
        Path work = cloneOf(tmp);
        git.commit(work, "owned.txt", "feature\n", "feature");
        git.push(work, List.of(), url(), "HEAD:refs/heads/owned/" + UUID.randomUUID()).expectOk();
        git.commit(work, "owned.txt", "pipeline\n", "merge");
        pipelinePush(work, tmp);
        git.commit(work, "owned.txt", "direct\n", "direct");
        Pushes.assertRefusedByGate(git.push(work, List.of(), url(), "HEAD:main"), MAIN, MAIN);

        Users.Account owner = owner();
        List<Path> others;
        try (Stream<Path> files = Files.walk(server.gitDir())) {
            others = files.filter(p -> uid(p) != owner.uid()).toList();
        }
        assertEquals(List.of(), others, "the hooks run as " + owner.name() + " and write only as it");
    }

    private static int uid(Path p) {
        try {
            return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return -1;
        }
    }
}
