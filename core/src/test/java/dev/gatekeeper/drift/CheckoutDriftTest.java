package dev.gatekeeper.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckoutDriftTest {
    @TempDir Path tmp;
    DriftWorld w;

    @BeforeEach
    void world() throws Exception {
        w = new DriftWorld(tmp);
    }

    private TargetResult scanProd(String branch) throws Exception {
        DriftScan.Report r = w.scan(Target.checkout(w.prod.toString(), branch, null)).call();
        return r.results().get(0);
    }

    private static List<String> kinds(TargetResult r) {
        return r.findings().stream().map(f -> f.kind().wire()).toList();
    }

    @Test
    void cleanCheckoutWithIgnoredFilesIsClean() throws Exception {
        DriftWorld.write(w.prod.resolve("app.log"), "ignored: not drift\n");
        DriftScan.Report r = w.scan(Target.checkout(w.prod.toString(), "main", null)).call();
        assertEquals(TargetResult.Status.CLEAN, r.results().get(0).status(), r.results().toString());
        assertEquals(ExitCode.OK, r.exitCode());
        assertEquals("", DriftReportFormat.TABLE.render(r), "quiet when clean");
    }

    @Test
    void modifiedStagedAndUntrackedFilesAreDrift() throws Exception {
        DriftWorld.write(w.prod.resolve("seed.txt"), "edited on the server\n");
        DriftWorld.write(w.prod.resolve("staged.txt"), "staged\n");
        w.git.git(w.prod, "add", "staged.txt");
        DriftWorld.write(w.prod.resolve("sub/untracked.txt"), "untracked\n");
        TargetResult r = scanProd("main");
        assertEquals(TargetResult.Status.DRIFT, r.status());
        assertEquals(List.of("dirty"), kinds(r));
        assertTrue(r.findings().get(0).detail().startsWith("3 "), r.findings().toString());
    }

    @Test
    void behindAndAheadOfTheRemote() throws Exception {
        w.git.commit(w.dev, "pipeline release");
        w.git.git(w.dev, "pull", "-q", "--rebase", "origin", "main");
        w.git.git(w.dev, "push", "-q", "origin", "HEAD:main");
        w.git.git(w.prod, "fetch", "-q");
        assertEquals(List.of("behind"), kinds(scanProd("main")));

        Path ahead = w.git.clone(w.server.toUri().toString(), tmp.resolve("ahead"));
        w.git.commit(ahead, "hotfix typed on the server");
        DriftScan.Report r = w.scan(Target.checkout(ahead.toString(), "main", null)).call();
        assertEquals(List.of("ahead"), kinds(r.results().get(0)));
        assertEquals(ExitCode.REFUSED, r.exitCode());
    }

    @Test
    void wrongBranchDetachedHeadAndRecordedSha() throws Exception {
        w.git.git(w.prod, "checkout", "-q", "-b", "experiment");
        assertEquals(List.of("wrong-branch"), kinds(scanProd("main")));
        w.git.git(w.prod, "checkout", "-q", "--detach", "main");
        assertTrue(kinds(scanProd("main")).contains("detached"));
        String seed = w.git.git(w.prod, "rev-parse", "HEAD~1");
        DriftScan.Report r = w.scan(Target.checkout(w.prod.toString(), null, seed)).call();
        assertEquals(List.of("not-deployed"), kinds(r.results().get(0)));
    }

    @Test
    void oneBadTargetNeverHidesTheOthers() throws Exception {
        DriftWorld.write(w.prod.resolve("seed.txt"), "edited\n");
        DriftScan.Report r = w.scan(Target.checkout(tmp.resolve("missing").toString(), null, null),
                Target.checkout(w.prod.toString(), "main", null)).call();
        assertEquals(TargetResult.Status.ERROR, r.results().get(0).status());
        assertEquals(TargetResult.Status.DRIFT, r.results().get(1).status());
        assertEquals(ExitCode.REFUSED, r.exitCode(), "drift outranks an unscannable target");
        DriftScan.Report onlyBad = w.scan(Target.checkout(tmp.resolve("missing").toString(), null, null),
                Target.checkout(w.dev.toString(), null, null)).call();
        assertEquals(ExitCode.INCONCLUSIVE, onlyBad.exitCode());
        String json = dev.gatekeeper.outcome.OutcomeJson.write("drift-scan", r.outcome());
        assertTrue(json.contains("\"status\":\"error\"") && json.contains("\"verdict\":\"drift\"")
                && json.contains("\"exit\":3") && json.contains("\"alerts_sent\":[]"), json);
        assertTrue(DriftReportFormat.MARKDOWN.render(r).contains("| checkout:" + w.prod));
    }

    @Test
    void incrementalScanReusesUnchangedTargetsAndSeesEdits() throws Exception {
        Target t = Target.checkout(w.prod.toString(), "main", null);
        assertFalse(w.scan(t).call().results().get(0).skipped());
        TargetResult second = w.scan(t).call().results().get(0);
        assertTrue(second.skipped(), "nothing changed: not scanned again");
        assertEquals(TargetResult.Status.CLEAN, second.status());
        DriftWorld.write(w.prod.resolve("seed.txt"), "edited between scans\n");
        TargetResult third = w.scan(t).call().results().get(0);
        assertFalse(third.skipped());
        assertEquals(TargetResult.Status.DRIFT, third.status());
        assertTrue(w.scan(t).call().results().get(0).skipped());
        assertEquals(TargetResult.Status.DRIFT, w.scan(t).call().results().get(0).status(), "drift stays reported");
    }

    @Test
    void shardsSplitTheTargetsWithoutOverlap() throws Exception {
        List<Target> ts = List.of(Target.checkout(w.prod.toString(), null, null),
                Target.checkout(w.dev.toString(), null, null), Target.checkout(tmp.resolve("x").toString(), null,
                        null));
        int total = 0;
        for (int i = 1; i <= 2; i++) {
            total += w.scan(ts.toArray(new Target[0])).setShard(i, 2).setIncremental(false).call().results().size();
        }
        assertEquals(3, total);
        assertTrue(Files.exists(w.state));
    }
}
