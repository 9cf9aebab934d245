package dev.gatekeeper.cli.e2e;

import static dev.gatekeeper.cli.e2e.Pushes.assertAcceptedByGate;
import static dev.gatekeeper.cli.e2e.Pushes.assertContains;
import static dev.gatekeeper.cli.e2e.Pushes.assertRefusedByGate;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * One server, one pipeline secret and one server-wide policy for many repositories: a token binds the repository
 * it was minted for, and no other repository accepts it, even when two of them share a folder name or a copied
 * policy names them alike. Pushes over {@code git daemon} (the daemon's environment, not the pusher's), except for
 * the GitLab case, where the forge's variables reach the hook through the pusher's environment over file://.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES) // a backstop: every process also has its own timeout
class RepositoryIdentityIT {
    static final String MAIN = "refs/heads/main";
    static final String SERVER_POLICY = String.join("\n",
            "version: 1",
            "protected:",
            "  - ref: refs/heads/main",
            "");

    @TempDir Path root;
    Map<String, String> env;
    Git git;
    Dist dist;
    Path srv;
    Path etc;
    Path secret;
    GitDaemon daemon;

    @BeforeEach
    void setUp() throws IOException {
        etc = Files.createDirectories(root.resolve("etc-gatekeeper"));
        env = new HashMap<>(Env.isolated(root));
        env.put("GATEKEEPER_CONFIG_DIR", etc.toString()); // the server-wide policy and secret, for every repository
        git = new Git(env);
        dist = new Dist(env);
        Files.writeString(etc.resolve("policy.yaml"), SERVER_POLICY);
        secret = etc.resolve("pipeline.secret");
        Files.writeString(secret, dist.newSecret(root) + "\n");
        srv = root.resolve("srv");
        // two teams, one folder name, one history: the same commit is a fast-forward for both mains
        Path seed = root.resolve("seed");
        git.ok(root, "init", "-q", "--initial-branch=main", seed.toString());
        git.commit(seed, "README.md", "# app\n", "seed");
        for (String team : List.of("team1", "team2")) {
            Files.createDirectories(srv.resolve(team));
            git.ok(root, "clone", "-q", "--bare", seed.toString(), srv.resolve(team + "/app.git").toString());
        }
    }

    @AfterEach
    void stopDaemon() {
        if (daemon != null) {
            daemon.close();
        }
    }

    private String startDaemon() {
        daemon = GitDaemon.start(env, srv);
        return "git://127.0.0.1:" + daemon.port() + "/";
    }

    private String main(String team) {
        return git.revOrNull(srv.resolve(team + "/app.git"), MAIN);
    }

    @Test
    void aTokenForTeam1sMainIsRefusedByTeam2sAppUnderTheSameRootAndSecret() {
        dist.installAll(srv);
        String base = startDaemon();
        Path work = git.cloneInto(base + "team1/app.git", root.resolve("work"));
        String before = main("team2");
        String sha = git.commit(work, "f.txt", "for team1\n", "team1's pipeline merge");
        // no --repo: derived from the clone's remote URL (git://host/team1/app.git -> team1/app)
        String token = dist.mintWithDefaultRepo(work, MAIN, sha, secret);

        Proc.Result replay = git.push(work, List.of("gatekeeper-token=" + token), base + "team2/app.git", "HEAD:main");

        assertRefusedByGate(replay, MAIN, MAIN);
        assertContains(replay, "is for repository 'team1/app', not 'team2/app'");
        assertContains(replay, "this repository is 'team2/app'");
        assertContains(replay, "--repository-id");
        assertEquals(before, main("team2"), "team2's main must not move");

        assertAcceptedByGate(git.push(work, List.of("gatekeeper-token=" + token), base + "team1/app.git",
                "HEAD:main"), MAIN, "token:");
        assertEquals(sha, main("team1"));
    }

    @Test
    void aCopiedPolicyNamingRepositoryAppDoesNotMakeTwoRepositoriesOne() {
        // copied into each repository, so it names the one server-wide secret itself
        Path copied = Policies.write(root.resolve("policies"), "policy.yaml", "repository: app\n"
                + "identity:\n  token:\n    secretFile: " + secret + "\n" + SERVER_POLICY);
        Proc.Result install = dist.installAll(srv, "--policy", copied.toString());
        assertContains(install, "team1/app");
        String base = startDaemon();
        Path work = git.cloneInto(base + "team1/app.git", root.resolve("work"));
        String sha = git.commit(work, "g.txt", "named app\n", "a pipeline that says 'app'");
        String forApp = dist.mint(root, "app", MAIN, sha, secret);
        String forTeam1 = dist.mint(root, "team1/app", MAIN, sha, secret);
        String before = main("team2");

        for (String token : List.of(forApp, forTeam1)) {
            Proc.Result r = git.push(work, List.of("gatekeeper-token=" + token), base + "team2/app.git", "HEAD:main");
            assertRefusedByGate(r, MAIN, MAIN);
            assertContains(r, "not 'team2/app'");
        }
        assertEquals(before, main("team2"));
        assertAcceptedByGate(git.push(work, List.of("gatekeeper-token=" + forTeam1), base + "team1/app.git",
                "HEAD:main"), MAIN, "token:");
    }

    @Test
    void onGitLabHashedStorageTheTokenNamesTheProjectPathNotTheHashFolder() {
        Path hashed = root.resolve("gitaly/@hashed/6b/86/6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52dd.git");
        try {
            Files.createDirectories(hashed.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        git.ok(root, "clone", "-q", "--bare", root.resolve("seed").toString(), hashed.toString());
        dist.run(root, "hooks", "install", "--no-cds", "--layout", "PLAIN", hashed.toString()).expectOk();
        Path work = git.cloneInto("file://" + hashed, root.resolve("work"));
        String sha = git.commit(work, "h.txt", "gitlab\n", "merge request merged");
        Map<String, String> gitlab = Map.of("GL_PROJECT_PATH", "group/project", "GL_REPOSITORY", "project-1");
        String wrong = dist.mint(root, "group/other", MAIN, sha, secret);
        String right = dist.mint(root, "group/project", MAIN, sha, secret);

        Proc.Result refused = git.runWithEnv(work, gitlab, "push", "-o", "gatekeeper-token=" + wrong,
                "file://" + hashed, "HEAD:main");
        assertRefusedByGate(refused, MAIN, MAIN);
        assertContains(refused, "is for repository 'group/other', not 'group/project'");
        assertContains(refused, "GL_PROJECT_PATH");

        Proc.Result accepted = git.runWithEnv(work, gitlab, "push", "-o", "gatekeeper-token=" + right,
                "file://" + hashed, "HEAD:main");
        assertAcceptedByGate(accepted, MAIN, "token:");
        assertEquals(sha, git.revOrNull(hashed, MAIN));
    }

    @Test
    void theAbsolutePathIsASecondNameForTheSameRepositoryAndOnlyForIt() {
        dist.installAll(srv);
        Path team1 = srv.resolve("team1/app.git");
        Path work = git.cloneInto("file://" + team1, root.resolve("work"));
        String sha = git.commit(work, "i.txt", "by path\n", "an ssh remote with an absolute path");
        // file:///…/srv/team1/app.git -> "…/srv/team1/app": what a client derives from ssh://host/srv/git/x.git too
        String token = dist.mintWithDefaultRepo(work, MAIN, sha, secret);
        String before = main("team2");

        assertRefusedByGate(git.push(work, List.of("gatekeeper-token=" + token), "file://" + srv.resolve(
                "team2/app.git"), "HEAD:main"), MAIN, MAIN);
        assertEquals(before, main("team2"));
        assertAcceptedByGate(git.push(work, List.of("gatekeeper-token=" + token), "file://" + team1, "HEAD:main"),
                MAIN, "token:");
    }
}
