package dev.gatekeeper.cli.e2e;

import static dev.gatekeeper.cli.e2e.Pushes.assertContains;
import static dev.gatekeeper.cli.e2e.Pushes.assertNotContains;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift scanner as the shipped unit runs it: as its own service account ({@link Users#SCANNER}), over a bare
 * repository and a deployed checkout that belong to the git account ({@link Users#GIT}). The checkout's config is
 * hostile: a {@code core.fsmonitor} hook and a clean filter that would run as the scanner. On main before issue 13
 * every target was "cannot scan" (git: "detected dubious ownership"), exit 4.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DriftServiceAccountIT {
    @TempDir Path root;
    Users.Account owner;
    Users.Account scanner;
    Map<String, String> env;
    Git git;
    Dist dist;
    GitServer server;
    Path checkout;
    Path pwned;

    @BeforeEach
    void setUp() throws IOException {
        owner = Users.require(Users.GIT);
        scanner = Users.require(Users.SCANNER);
        Users.openUp(root);
        env = Env.isolated(root);
        git = new Git(env);
        dist = new Dist(env).copyTo(root);
        server = GitServer.create(git, root.resolve("srv"), "app");
        // the repository declares a filter for every file before the gate is installed (as a project might)
        Path seed = root.resolve("srv/app-seed");
        git.commit(seed, ".gitattributes", "* filter=evil\n", "attributes");
        git.ok(seed, "push", "-q", server.gitDir().toString(), "HEAD:main");
        dist.install(Policies.standard(root.resolve("policies")), server.gitDir(), false);
        // the pipeline pushes main through the gate, so the audit log explains main's tip
        Path secret = server.writeSecret("pipeline.secret");
        Path ci = git.cloneInto(server.fileUrl(), root.resolve("ci"));
        String sha = git.commit(ci, "app.conf", "mode=stable\n", "config");
        String token = dist.mint(ci, "app", "refs/heads/main", sha, secret);
        git.push(ci, List.of("gatekeeper-token=" + token), server.fileUrl(), "HEAD:main").expectOk();
        Files.createDirectories(root.resolve("deploy"));
        checkout = git.cloneInto(server.fileUrl(), root.resolve("deploy/app"));
        // hostile config: each would run a command as whoever runs git status here
        pwned = root.resolve("pwned");
        Path evil = Files.writeString(root.resolve("evil.sh"), "#!/bin/sh\nid -un >> '" + pwned + "'\ncat\n");
        Files.setPosixFilePermissions(evil, PosixFilePermissions.fromString("rwxr-xr-x"));
        git.ok(checkout, "config", "core.fsmonitor", evil.toString());
        git.ok(checkout, "config", "filter.evil.clean", evil.toString());
        git.ok(checkout, "config", "filter.evil.smudge", evil.toString());
        Files.deleteIfExists(pwned);
        owner.chownR(server.gitDir());
        owner.chownR(checkout.getParent());
        // a stale index: git status must re-read the files (through the filter, if it ran one)
        Files.setLastModifiedTime(checkout.resolve("README.md"),
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    }

    private Proc.Result scanAsServiceAccount(String... extra) {
        Path state = root.resolve("scanner-state");
        try {
            Files.createDirectories(state);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        scanner.chownR(state);
        Map<String, String> e = new HashMap<>(env);
        e.put("HOME", scanner.home().toString());
        List<String> args = new java.util.ArrayList<>(List.of("drift", "scan", "--checkout", checkout + "@main",
                "--bare", server.gitDir().toString(), "--state", state.resolve("state.json").toString(), "--full"));
        args.addAll(List.of(extra));
        return dist.withEnv(e).runningAs(scanner.runAs()).run(root, args.toArray(String[]::new));
    }

    @Test
    void theServiceAccountScansOtherUsersRepositoriesAndTheirConfigRunsNothing() throws IOException {
        Proc.Result clean = scanAsServiceAccount();
        clean.expectExit(0);
        assertNotContains(clean, "dubious ownership");
        assertFalse(Files.exists(pwned), "the checkout's fsmonitor or filter ran as " + Users.SCANNER + ": "
                + (Files.exists(pwned) ? Files.readString(pwned) : ""));

        // a hand edit on the deployed host is found, and the scanner does not heal a checkout it does not own
        Files.writeString(checkout.resolve("README.md"), "hand edit\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        owner.chownR(checkout.resolve("README.md"));
        Proc.Result drift = scanAsServiceAccount("--heal");
        drift.expectExit(3);
        assertContains(drift, "README.md");
        assertContains(drift, "HEAL REFUSED");
        assertContains(drift, "sudo -u " + Users.GIT);
        assertFalse(Files.exists(pwned), "nothing ran as the scanner");
    }
}
