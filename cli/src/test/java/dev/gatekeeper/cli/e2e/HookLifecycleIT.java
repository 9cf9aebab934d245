package dev.gatekeeper.cli.e2e;

import static dev.gatekeeper.cli.e2e.Pushes.assertContains;
import static dev.gatekeeper.cli.e2e.Pushes.assertRefusedByGate;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Install, chain, check and uninstall through the CLI, on a real bare repository, pushing over file://. */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a backstop: every process also has its own timeout
class HookLifecycleIT {
    static final String ZERO = "0000000000000000000000000000000000000000";

    @TempDir Path root;
    Map<String, String> env;
    Git git;
    Dist dist;
    GitServer server;
    Path policy;

    @BeforeEach
    void setUp() {
        env = Env.isolated(root);
        git = new Git(env);
        dist = new Dist(env);
        server = GitServer.create(git, root.resolve("srv"), "app");
        policy = Policies.standard(root.resolve("policies"));
    }

    @Test
    void anExistingPreReceiveHookIsChainedAndRestoredByteForByte() throws IOException {
        Path received = root.resolve("team-hook-received.txt");
        Path hook = server.gitDir().resolve("hooks/pre-receive");
        byte[] original = ("#!/bin/sh\n# the team's own pre-receive hook, here before gatekeeper\n"
                + "cat >> '" + received + "'\nexit 0\n").getBytes(StandardCharsets.UTF_8);
        Files.write(hook, original);
        Set<PosixFilePermission> mode = PosixFilePermissions.fromString("rwxr-x---");
        Files.setPosixFilePermissions(hook, mode);

        Proc.Result install = dist.install(policy, server.gitDir(), false);
        assertContains(install, "now runs after the gate");
        assertFalse(Files.exists(received), "installing must not run the hook");

        Path work = git.cloneInto(server.fileUrl(), root.resolve("work"));
        String sha = git.commit(work, "f.txt", "feature\n", "feature");
        git.push(work, List.of(), server.fileUrl(), "HEAD:refs/heads/feature").expectOk();
        assertEquals(ZERO + " " + sha + " refs/heads/feature\n", Files.readString(received),
                "the chained hook gets exactly the input the gate judged");

        Proc.Result refused = git.push(work, List.of(), server.fileUrl(), "HEAD:main");
        assertRefusedByGate(refused, "refs/heads/main", "refs/heads/main");
        assertEquals(ZERO + " " + sha + " refs/heads/feature\n", Files.readString(received),
                "a push the gate refused must not reach the chained hook");

        Proc.Result uninstall = dist.run(root, "hooks", "uninstall", server.gitDir().toString()).expectOk();
        assertArrayEquals(original, Files.readAllBytes(hook), "uninstall restores the original byte for byte\n"
                + uninstall.describe());
        assertEquals(mode, Files.getPosixFilePermissions(hook), "and its mode");

        // The gate is gone and the team's hook is back on its own: main takes a direct push, and the hook sees it.
        String before = server.main();
        git.push(work, List.of(), server.fileUrl(), "HEAD:main").expectOk();
        assertEquals(sha, server.main());
        assertTrue(Files.readString(received).endsWith(before + " " + sha + " refs/heads/main\n"),
                Files.readString(received));
    }

    @Test
    void statusSaysInstalledThenTamperedOnceTheHookIsEdited() throws IOException {
        dist.install(policy, server.gitDir(), false);

        Proc.Result ok = dist.run(root, "hooks", "status", server.gitDir().toString()).expectExit(0);
        assertTrue(ok.stdout().startsWith("INSTALLED  " + server.gitDir()), ok.describe());

        Path hook = server.gitDir().resolve("hooks/pre-receive");
        Files.writeString(hook, "exit 0 # let everything through\n", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        Proc.Result tampered = dist.run(root, "hooks", "status", server.gitDir().toString()).expectExit(3);
        assertTrue(tampered.stdout().startsWith("TAMPERED  " + server.gitDir()), tampered.describe());
        assertContains(tampered, "hooks/pre-receive");
    }
    @Test
    void anExistingPostReceiveHookKeepsRunningAfterTheRecorderOfWhatLanded() throws IOException {
        Path received = root.resolve("ci-trigger-received.txt");
        Path hook = server.gitDir().resolve("hooks/post-receive");
        byte[] original = ("#!/bin/sh\n# the team's CI trigger\ncat >> '" + received + "'\nexit 0\n")
                .getBytes(StandardCharsets.UTF_8);
        Files.write(hook, original);
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertContains(dist.install(policy, server.gitDir(), false), "now runs after the gate");

        Path work = git.cloneInto(server.fileUrl(), root.resolve("work"));
        String sha = git.commit(work, "g.txt", "feature\n", "feature");
        git.push(work, List.of(), server.fileUrl(), "HEAD:refs/heads/feature").expectOk();
        assertEquals(ZERO + " " + sha + " refs/heads/feature\n", Files.readString(received),
                "the CI trigger still gets what landed");
        assertTrue(server.events().stream().anyMatch(e -> "push.landed".equals(e.path("type").asText())
                && sha.equals(e.path("new").asText())), "and the gate recorded it: " + server.events());

        dist.run(root, "hooks", "uninstall", server.gitDir().toString()).expectOk();
        assertArrayEquals(original, Files.readAllBytes(hook), "uninstall restores it byte for byte");
    }
}
