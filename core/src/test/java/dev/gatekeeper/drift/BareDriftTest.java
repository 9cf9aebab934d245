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
        assertEquals(Finding.Kind.BYPASS, f.get(0).kind());
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
    private void ledger(String type, String ref, String sha) throws Exception {
        new dev.gatekeeper.events.EventLog(w.server.resolve("gatekeeper/ledger.jsonl"), 1 << 20, 2).append(
                dev.gatekeeper.events.Event.of(dev.gatekeeper.events.EventType.of(type).orElseThrow()).ref(ref).oldId("0".repeat(40)).newId(sha).rule(ref)
                        .decision(type.equals("push.landed") ? "landed" : "allowed").build());
    }

    @Test
    void aCommitTheGateAllowedButThatNeverLandedIsNoProvenanceOnceLandingsAreRecorded() throws Exception {
        String tip = w.git.git(w.server, "rev-parse", "refs/heads/main");
        String tree = w.git.git(w.server, "rev-parse", "main^{tree}");
        String lostRace = w.git.git(w.server, "commit-tree", tree, "-p", "main", "-m", "allowed, lost the lock");
        ledger("push.allowed", "refs/heads/main", lostRace);
        ledger("push.landed", "refs/heads/main", tip);
        assertEquals(List.of(), findings(), "main is where a push landed");

        w.git.git(w.server, "update-ref", "refs/heads/main", lostRace); // around the hook
        List<Finding> f = findings();
        assertEquals(1, f.size(), f.toString());
        assertTrue(f.get(0).detail().contains("which no push landed there"), f.get(0).detail());
    }

    @Test
    void aSymbolicRefIsCheckedThroughItsTargetNotAsABypassOfItsOwn() throws Exception {
        Files.writeString(w.server.resolve("gatekeeper/policy.yaml"), "version: 1\nprotected:\n"
                + "  - ref: refs/heads/**\n");
        w.git.git(w.server, "symbolic-ref", "refs/heads/master", "refs/heads/main");
        assertEquals(List.of(), findings());
    }
}
