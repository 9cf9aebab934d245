package dev.gatekeeper.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.install.HookStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BareDriftTest {
    @TempDir Path tmp;
    DriftWorld w;
    Target bare;

    @BeforeEach
    void world() throws Exception {
        w = new DriftWorld(tmp);
        w.installHooks();
        w.git.git(w.server, "config", "receive.denyNonFastForwards", "true");
        w.gateKnowsCurrentTips();
        bare = Target.bare(w.server.toString(), Map.of("denyNonFastForwards", "true"));
    }

    private List<Finding> findings() throws Exception {
        return w.scan(bare).call().results().get(0).findings();
    }

    @Test
    void aRepositoryAsTheGateLeftItIsClean() throws Exception {
        assertEquals(List.of(), findings());
    }

    @Test
    void aCommitWrittenIntoTheBareRepositoryAroundTheHookIsABypass() throws Exception {
        // objects and ref written straight into the server's repository: no push, so no hook and no audit event
        String tree = w.git.git(w.server, "rev-parse", "main^{tree}");
        String bypass = w.git.git(w.server, "commit-tree", tree, "-p", "main", "-m", "hotfix on the server");
        w.git.git(w.server, "update-ref", "refs/heads/main", bypass);
        w.git.git(w.server, "update-ref", "refs/heads/scratch", bypass); // not protected: not drift
        List<Finding> f = findings();
        assertEquals(1, f.size(), f.toString());
        assertEquals("bypass", f.get(0).kind());
        assertTrue(f.get(0).subject().startsWith("refs/heads/main@" + bypass.substring(0, 10)));
    }

    @Test
    void aModifiedHookAndAWeakenedReceiveSettingAreDrift() throws Exception {
        Path hook = w.server.resolve("hooks/pre-receive");
        Files.writeString(hook, Files.readString(hook) + "\nexit 0\n");
        w.git.git(w.server, "config", "receive.denyNonFastForwards", "false");
        List<String> kinds = findings().stream().map(f -> f.kind() + " " + f.subject()).toList();
        assertTrue(kinds.contains("hooks hooks/pre-receive"), kinds.toString());
        assertTrue(kinds.contains("receive-config receive.denyNonFastForwards"), kinds.toString());
    }

    @Test
    void healReinstallsTamperedHooksAndRecordsAnEvent() throws Exception {
        Path hook = w.server.resolve("hooks/pre-receive");
        Files.writeString(hook, "#!/bin/sh\nexit 0\n");
        DriftScan.Report r = w.scan(bare).setHeal(true).call();
        assertTrue(r.results().get(0).healed().get(0).startsWith("reinstalled the hooks"), r.toString());
        assertEquals(HookStatus.State.INSTALLED, HookStatus.check(w.server).state());
        assertTrue(Files.readString(w.state.resolveSibling("drift-events.jsonl")).contains("drift.healed"));
        assertEquals(List.of(), findings());
    }

    @Test
    void withoutAPolicyEveryRefCountsAsProtected() throws Exception {
        Files.delete(w.server.resolve("gatekeeper/policy.yaml"));
        w.git.git(w.server, "update-ref", "refs/heads/other", "main");
        List<Finding> f = findings();
        assertEquals(1, f.size(), f.toString());
        assertTrue(f.get(0).detail().contains("no usable policy"));
    }
}
