package dev.gatekeeper.cli.e2e;

import static dev.gatekeeper.cli.e2e.Pushes.assertAcceptedByGate;
import static dev.gatekeeper.cli.e2e.Pushes.assertContains;
import static dev.gatekeeper.cli.e2e.Pushes.assertRefusedByGate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * Signed pushes as admins set them up: the pipeline's key made with real gpg the usual way (a certify-only primary
 * key and a signing subkey), the policy listing the primary fingerprint, the server's keyring holding the public
 * key, {@code git push --signed} over {@code git daemon}. Git reports the subkey's id; the gate must match it to the
 * listed key. On main before issue 13 the install set no {@code receive.certNonceSeed}, so git refused
 * {@code --signed} ("the receiving end does not support --signed push"), and with it set the push was refused as
 * "not trusted (status G …)".
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SignedPushIT {
    @TempDir Path root;
    Map<String, String> env;
    Git git;
    Dist dist;
    GitServer server;
    Path clientKeys;
    Path serverKeys;

    @BeforeEach
    void setUp() throws IOException {
        if (Proc.run(root, Env.isolated(root), null, Proc.DEFAULT_TIMEOUT, List.of("sh", "-c", "command -v gpg"))
                .exitCode() != 0) {
            Users.skip("gpg is not installed (apt-get install gnupg)");
        }
        env = Env.isolated(root);
        git = new Git(env);
        dist = new Dist(env);
        server = GitServer.create(git, root.resolve("srv"), "app");
        clientKeys = Files.createDirectories(root.resolve("gnupg-ci"));
        serverKeys = Files.createDirectories(root.resolve("gnupg-srv"));
        for (Path p : List.of(clientKeys, serverKeys)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @AfterEach
    void stopAgents() {
        for (Path home : List.of(clientKeys, serverKeys)) {
            if (home != null) {
                Proc.run(root, withHome(home), null, Proc.DEFAULT_TIMEOUT, List.of("gpgconf", "--kill", "all"));
            }
        }
    }

    private Map<String, String> withHome(Path gnupgHome) {
        Map<String, String> e = new HashMap<>(env);
        e.put("GNUPGHOME", gnupgHome.toString());
        return e;
    }

    private Proc.Result gpg(Path home, String... args) {
        List<String> cmd = new ArrayList<>(List.of("gpg", "--batch", "--passphrase", "", "--pinentry-mode",
                "loopback"));
        cmd.addAll(List.of(args));
        return Proc.run(root, withHome(home), null, Proc.DEFAULT_TIMEOUT, cmd);
    }

    /** A key as most people have one: primary for certifying only, a subkey for signing; its primary fingerprint. */
    private String keyWithSigningSubkey(String uid) {
        gpg(clientKeys, "--quick-gen-key", uid, "ed25519", "cert", "never").expectOk();
        String fpr = null;
        for (String line : gpg(clientKeys, "--with-colons", "--list-keys", uid).expectOk().stdout().split("\n")) {
            if (line.startsWith("fpr:")) {
                fpr = line.split(":")[9];
                break;
            }
        }
        gpg(clientKeys, "--quick-add-key", fpr, "ed25519", "sign", "never").expectOk();
        Path pub = root.resolve(fpr + ".asc");
        Proc.Result exported = gpg(clientKeys, "--armor", "--export", fpr).expectOk();
        try {
            Files.writeString(pub, exported.stdout());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        gpg(serverKeys, "--import", pub.toString()).expectOk();
        return fpr;
    }

    private Proc.Result signedPush(Path work, String url, String signingKey, String refspec) {
        Map<String, String> e = withHome(clientKeys);
        return Proc.run(work, e, null, Proc.DEFAULT_TIMEOUT, List.of("git", "-c", "user.signingkey=" + signingKey,
                "push", "--signed", url, refspec));
    }

    @Test
    void aPushSignedByASubkeyOfTheListedPrimaryKeyPassesAndAnotherKeyIsNotAllowed() throws IOException {
        String pipeline = keyWithSigningSubkey("CI Pipeline <ci@e2e.invalid>");
        String stranger = keyWithSigningSubkey("Someone Else <else@e2e.invalid>");
        Path policy = Policies.write(root.resolve("policies"), "signed.yaml", String.join("\n",
                "version: 1",
                "repository: app",
                "identity:",
                "  signedPush:",
                "    keys: [\"" + pipeline + "\"]",
                "protected:",
                "  - ref: refs/heads/main",
                "    signedPush: true",
                ""));
        Proc.Result install = dist.install(policy, server.gitDir(), false);

        try (GitDaemon daemon = GitDaemon.start(withHome(serverKeys), server.gitDir().getParent())) {
            String url = daemon.url("app.git");
            Path work = git.cloneInto(url, root.resolve("work"));

            String sha = git.commit(work, "y.txt", "y\n", "signed by the pipeline");
            Proc.Result accepted = signedPush(work, url, pipeline, "HEAD:main");
            assertAcceptedByGate(accepted, "refs/heads/main", "signed-push:");
            assertContains(accepted, "(subkey of " + pipeline + ")");
            assertEquals(sha, server.main());

            String other = git.commit(work, "x.txt", "x\n", "signed by someone else");
            Proc.Result refused = signedPush(work, url, stranger, "HEAD:main");
            assertRefusedByGate(refused, "refs/heads/main", "refs/heads/main");
            assertContains(refused, "key not allowed");
            assertTrue(!other.equals(server.main()));

            git.commit(work, "z.txt", "z\n", "not signed");
            assertContains(assertRefused(git.push(work, List.of(), url, "HEAD:main")), "not a signed push");
        }
        assertContains(install, "receive.certNonceSeed set to a new random secret");
        assertTrue(git.out(server.gitDir(), "config", "--get", "receive.certNonceSeed").matches("[0-9a-f]{64}"));
    }

    private static Proc.Result assertRefused(Proc.Result r) {
        assertRefusedByGate(r, "refs/heads/main", "refs/heads/main");
        return r;
    }
}
