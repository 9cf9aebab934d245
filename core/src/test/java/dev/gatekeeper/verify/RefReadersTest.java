package dev.gatekeeper.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local and git-transport readers against real repositories made and served by real git. */
class RefReadersTest {
    @TempDir
    Path tmp;

    private Git git;
    private Path served;
    private Path remote;
    private Path clone;
    private String seed;

    @BeforeEach
    void repositories() throws Exception {
        git = new Git(tmp.resolve("home"));
        served = Files.createDirectories(tmp.resolve("srv"));
        remote = git.bare(served.resolve("app.git"));
        clone = git.seededClone(remote.toUri().toString(), tmp.resolve("clone"));
        seed = git.git(clone, "rev-parse", "HEAD");
        // many other refs, packed, so that an answer listing them all would show in the trace
        StringBuilder refs = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            refs.append(String.format("create refs/heads/other-%04d %s%n", i, seed));
        }
        git.run(remote, Map.of(), java.util.List.of("sh", "-c", "printf '%s' \"$0\" | git update-ref --stdin",
                refs.toString()));
        git.git(remote, "pack-refs", "--all");
    }

    @Test
    void localReaderReadsOneRefLooseOrPacked() throws Exception {
        try (LocalRefReader r = new LocalRefReader(remote, "app")) {
            assertEquals(Optional.of(seed), r.tip("refs/heads/main"), "packed");
            assertEquals(Optional.of(seed), r.tip("refs/heads/other-0299"));
            assertEquals(Optional.empty(), r.tip("refs/heads/nope"));
            String next = git.commit(clone, "next");
            git.git(clone, "push", "-q", "origin", "HEAD:main");
            assertEquals(Optional.of(next), r.tip("refs/heads/main"), "loose, written after the reader opened");
            assertTrue(r.contains(next, seed));
            assertFalse(r.contains(seed, next));
            assertFalse(r.contains(next, "1".repeat(40)), "unknown commit");
        }
    }

    @Test
    void localReaderPeelsAnnotatedTags() throws Exception {
        git.git(clone, "tag", "-a", "-m", "v1", "v1");
        git.git(clone, "push", "-q", "origin", "v1");
        try (LocalRefReader r = new LocalRefReader(remote, "app")) {
            assertEquals(Optional.of(seed), r.tip("refs/tags/v1"));
        }
    }

    @Test
    void localReaderWithoutRepositoryFails() {
        try (LocalRefReader r = new LocalRefReader(tmp.resolve("nothing.git"), "nothing")) {
            RemoteReadException e = assertThrows(RemoteReadException.class, () -> r.tip("refs/heads/main"));
            assertEquals(RemoteReadException.Kind.NO_REPOSITORY, e.kind());
        }
    }

    @Test
    void gitDaemonIsAskedForOneRefWithProtocolV2() throws Exception {
        Path trace = tmp.resolve("packet-trace.txt");
        try (GitDaemon daemon = new GitDaemon(git, served, Map.of("GIT_TRACE_PACKET", trace.toString()));
             GitTransportRefReader r = new GitTransportRefReader(null, new URIish(daemon.url("app.git")), null, 10,
                     "daemon", git.env())) {
            assertEquals(Optional.of(seed), r.tip("refs/heads/main"));
            assertEquals(Optional.empty(), r.tip("refs/heads/nope"));
        }
        String t = Files.readString(trace, StandardCharsets.UTF_8);
        assertTrue(t.contains("version 2"), "protocol v2 spoken");
        assertTrue(t.contains("ref-prefix refs/heads/main"), "asked for the one ref");
        assertFalse(t.contains("refs/heads/other-0001"), "the other 300 refs were never sent");
    }

    @Test
    void sshThroughTheSystemSshCommandSpeaksV2() throws Exception {
        // a stand-in for ssh: runs the remote command here, as sshd would, with the environment ssh passes on
        Path trace = tmp.resolve("ssh-trace.txt");
        Path fakeSsh = tmp.resolve("fake-ssh");
        Files.writeString(fakeSsh, "#!/bin/sh\n"
                + "for last; do :; done\n"
                + "export GIT_TRACE_PACKET=" + trace + "\n"
                + "exec sh -c \"$last\"\n", StandardCharsets.UTF_8);
        Map<String, String> env = new java.util.HashMap<>(git.env());
        env.put("GIT_SSH_COMMAND", "sh " + fakeSsh);
        try (GitTransportRefReader r = new GitTransportRefReader(null,
                new URIish("ssh://agent@git.example.invalid" + remote), null, 10, "ssh", env)) {
            assertEquals(Optional.of(seed), r.tip("refs/heads/main"));
        }
        String t = Files.readString(trace, StandardCharsets.UTF_8);
        assertTrue(t.contains("ref-prefix refs/heads/main"), t.length() > 2000 ? t.substring(0, 2000) : t);
    }

    @Test
    void containsFetchesTheHistoryWithoutTouchingRefs() throws Exception {
        Path other = git.clone(remote.toUri().toString(), tmp.resolve("other"));
        String theirs = git.commit(other, "someone else's change");
        git.git(other, "push", "-q", "origin", "HEAD:main");
        Path before = clone.resolve(".git/refs/remotes/origin/main");
        try (GitDaemon daemon = new GitDaemon(git, served, Map.of());
             Repository local = new FileRepositoryBuilder().setGitDir(clone.resolve(".git").toFile()).build();
             GitTransportRefReader r = new GitTransportRefReader(local, new URIish(daemon.url("app.git")), null, 10,
                     "daemon", git.env())) {
            assertEquals(Optional.of(theirs), r.tip("refs/heads/main"));
            assertTrue(r.contains(theirs, seed), "our commit is under theirs");
            assertFalse(r.contains(theirs, "2".repeat(40)));
        }
        assertEquals(seed, git.git(clone, "rev-parse", "origin/main"), "remote-tracking ref untouched");
        assertFalse(Files.exists(clone.resolve(".git/FETCH_HEAD")), "no FETCH_HEAD written");
        assertTrue(Files.exists(before) || !git.git(clone, "rev-parse", "origin/main").isEmpty());
        assertEquals("commit", git.git(clone, "cat-file", "-t", theirs), "their commit is here now");
    }

    @Test
    void failuresAreSorted() throws Exception {
        int closed = GitDaemon.freePort();
        try (GitTransportRefReader r = new GitTransportRefReader(null, new URIish("git://127.0.0.1:" + closed
                + "/app.git"), null, 5, "nobody", git.env())) {
            RemoteReadException e = assertThrows(RemoteReadException.class, () -> r.tip("refs/heads/main"));
            assertEquals(RemoteReadException.Kind.UNREACHABLE, e.kind(), e.getMessage());
        }
        try (GitDaemon daemon = new GitDaemon(git, served, Map.of());
             GitTransportRefReader r = new GitTransportRefReader(null, new URIish(daemon.url("missing.git")), null,
                     5, "missing", git.env())) {
            RemoteReadException e = assertThrows(RemoteReadException.class, () -> r.tip("refs/heads/main"));
            assertEquals(RemoteReadException.Kind.NO_REPOSITORY, e.kind(), e.getMessage());
        }
    }
}
