package dev.gatekeeper.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealTest {
    @TempDir Path tmp;
    DriftWorld w;

    @BeforeEach
    void world() throws Exception {
        w = new DriftWorld(tmp);
    }

    @Test
    void withoutHealNothingIsTouchedAndThePlanIsReported() throws Exception {
        DriftWorld.write(w.prod.resolve("seed.txt"), "hand edit\n");
        Map<String, String> before = DriftWorld.files(w.prod);
        DriftScan.Report r = w.scan(Target.checkout(w.prod.toString(), "main", null)).call();
        assertEquals(before, DriftWorld.files(w.prod));
        assertTrue(DriftReportFormat.TABLE.render(r).contains("a heal would: save the working tree"));
    }

    @Test
    void healSavesEverythingFirstThenRestoresThePipelinesCommit() throws Exception {
        String deployed = w.git.git(w.prod, "rev-parse", "HEAD");
        // a modified file, a staged new one, an untracked binary, an executable, an ignored log
        DriftWorld.write(w.prod.resolve("seed.txt"), "edited by hand at 3am\n");
        DriftWorld.write(w.prod.resolve("conf/new.yaml"), "staged: true\n");
        w.git.git(w.prod, "add", "conf/new.yaml");
        Files.write(w.prod.resolve("blob.bin"), new byte[] {0, 1, 2, (byte) 255, 10, 13, 0});
        Path script = w.prod.resolve("fix.sh");
        DriftWorld.write(script, "#!/bin/sh\necho fixed\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        DriftWorld.write(w.prod.resolve("app.log"), "ignored, kept\n");
        Map<String, String> dirty = DriftWorld.files(w.prod);

        DriftScan.Report r = w.scan(Target.checkout(w.prod.toString(), "main", null)).setHeal(true).call();
        assertFalse(r.results().get(0).healed().isEmpty(), r.toString());
        assertEquals(deployed, w.git.git(w.prod, "rev-parse", "HEAD"));
        assertEquals("## main...origin/main\n!! app.log", w.git.git(w.prod, "status", "--porcelain", "--branch",
                "--ignored").strip(), "clean again; the ignored log is left alone");

        // nothing lost: the saved ref holds the dirty tree, and the patch re-applied reproduces it byte for byte
        String saved = w.git.git(w.prod, "for-each-ref", "--format=%(refname)", "refs/drift/");
        assertTrue(saved.startsWith("refs/drift/"), saved);
        Path patch;
        try (Stream<Path> s = Files.list(w.state.resolveSibling("patches"))) {
            patch = s.findFirst().orElseThrow();
        }
        Path again = w.git.clone(w.server.toUri().toString(), tmp.resolve("again"));
        w.git.git(again, "checkout", "-q", deployed);
        w.git.git(again, "apply", "--binary", patch.toString());
        DriftWorld.write(again.resolve("app.log"), "ignored, kept\n");
        assertEquals(dirty, DriftWorld.files(again));
        Path fromRef = w.git.clone(w.prod.toUri().toString(), tmp.resolve("from-ref"));
        w.git.git(fromRef, "fetch", "-q", "origin", saved + ":" + saved);
        w.git.git(fromRef, "checkout", "-q", saved);
        DriftWorld.write(fromRef.resolve("app.log"), "ignored, kept\n");
        assertEquals(dirty, DriftWorld.files(fromRef));
        assertTrue(Files.readString(w.state.resolveSibling("drift-events.jsonl")).contains("\"drift.healed\""));
        assertEquals(List.of(), w.scan(Target.checkout(w.prod.toString(), "main", null)).call().results().get(0)
                .findings());
    }

    @Test
    void healBringsABehindCheckoutToTheRemoteTipAndKeepsLocalCommitsReachable() throws Exception {
        w.git.commit(w.prod, "local commit on the server");
        String local = w.git.git(w.prod, "rev-parse", "HEAD");
        String remote = w.git.git(w.prod, "rev-parse", "origin/main");
        w.scan(Target.checkout(w.prod.toString(), "main", null)).setHeal(true).call();
        assertEquals(remote, w.git.git(w.prod, "rev-parse", "HEAD"));
        String saved = w.git.git(w.prod, "for-each-ref", "--format=%(refname)", "refs/drift/");
        w.git.git(w.prod, "merge-base", "--is-ancestor", local, saved);
    }
}
