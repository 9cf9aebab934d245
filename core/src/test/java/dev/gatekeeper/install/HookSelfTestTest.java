package dev.gatekeeper.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the self-test judges what the installed hook did, against a stand-in gate (a shell script in java's place)
 * that behaves as told: the real gate's end-to-end proofs are in the CLI's ITs (RightUserInstallIT and others).
 */
class HookSelfTestTest {
    /**
     * Reads one update and writes an event for it like the gate does, unless told otherwise by $GATEKEEPER_FAKE:
     * "no-event" (the audit log cannot be written), "fail-closed" (no policy), "refuse" (refuses everything).
     */
    static final String FAKE_GATE = "#!/bin/sh\n"
            + "read old new ref\n"
            + "mode=${GATEKEEPER_FAKE:-ok}\n"
            + "rule=unprotected; decision=allowed; rc=0\n"
            + "case $ref in refs/heads/main) rule=refs/heads/main; decision=refused; rc=3;"
            + " [ -n \"$GIT_PUSH_OPTION_0\" ] && decision=allowed && rc=0;; esac\n"
            + "[ $mode = fail-closed ] && rule=fail-closed && decision=refused && rc=3\n"
            + "[ $mode = refuse ] && decision=refused && rc=3\n"
            + "if [ $mode = no-event ]; then echo 'gatekeeper: warning: cannot write the audit log x: denied' >&2;"
            + " echo 'gatekeeper: REFUSED (fail closed): the decision could not be audited' >&2; exit 3; fi\n"
            + "mkdir -p \"$GIT_DIR/gatekeeper\"\n"
            + "printf '{\"ref\":\"%s\",\"rule\":\"%s\",\"decision\":\"%s\",\"reason\":\"fake %s\"}\\n' \"$ref\" \"$rule\""
            + " \"$decision\" \"$mode\" >>\"$GIT_DIR/gatekeeper/events.jsonl\"\n"
            + "exit $rc\n";

    @TempDir
    Path tmp;
    Path repo;
    HookRuntime runtime;

    @BeforeEach
    void setUp() throws Exception {
        repo = Fixtures.bare(tmp.resolve("app.git"));
        Path java = Fixtures.script(tmp.resolve("rt/java"), FAKE_GATE);
        Path jar = Files.write(tmp.resolve("rt/hook.jar"), new byte[0]);
        runtime = new HookRuntime(java, List.of(jar), HookRuntime.defaultJvmOptions(Optional.empty()),
                Optional.empty());
        Files.writeString(tmp.resolve("policy.yaml"), "version: 1\nprotected:\n  - ref: refs/heads/main\n");
    }

    private HookInstaller.Result install(Map<String, String> env) throws Exception {
        return new HookInstaller().setRuntime(runtime).setRepositories(List.of(repo))
                .setPolicy(tmp.resolve("policy.yaml")).setEnvironment(env).call().get(0);
    }

    private HookSelfTest.Result selfTest(Map<String, String> env) throws Exception {
        return HookSelfTest.run(repo, HookManifest.read(repo).orElseThrow(), env);
    }

    @Test
    void aGateThatJudgesAndAuditsPassesAndTheTokenIsMintedFromTheSecretItReads() throws Exception {
        HookInstaller.Result r = install(Map.of());
        assertEquals(HookInstaller.Outcome.INSTALLED, r.outcome(), () -> r.problem().orElse(""));
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("self-test passed")), r.notes().toString());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("no pipeline secret")), r.notes().toString());

        Files.writeString(repo.resolve("gatekeeper/pipeline.secret"), "0123456789abcdef0123456789abcdef\n");
        HookSelfTest.Result st = selfTest(Map.of());
        assertEquals(HookSelfTest.Verdict.PASSED, st.verdict(), st.reason());
        String events = Files.readString(repo.resolve("gatekeeper/events.jsonl"));
        assertTrue(events.contains("\"ref\":\"refs/heads/main\",\"rule\":\"refs/heads/main\",\"decision\":\"allowed\""),
                events);
    }

    @Test
    void eachWayOfNotWorkingHasItsOwnState() throws Exception {
        install(Map.of());
        assertEquals(HookStatus.State.CANNOT_AUDIT, selfTest(Map.of("GATEKEEPER_FAKE", "no-event")).state());
        assertEquals(HookStatus.State.CANNOT_READ_POLICY, selfTest(Map.of("GATEKEEPER_FAKE", "fail-closed")).state());
        assertEquals(HookStatus.State.GATE_FAILED, selfTest(Map.of("GATEKEEPER_FAKE", "refuse")).state());
        Files.writeString(repo.resolve("gatekeeper/pipeline.secret"), "0123456789abcdef0123456789abcdef\n");
        Files.writeString(tmp.resolve("rt/java"), FAKE_GATE.replace("[ -n \"$GIT_PUSH_OPTION_0\" ] && ", "false && "));
        assertEquals(HookStatus.State.CANNOT_READ_SECRET, selfTest(Map.of()).state(),
                "a token minted from the secret was refused");
        Files.writeString(tmp.resolve("rt/java"), FAKE_GATE);

        Files.delete(runtime.classpath().get(0));
        HookSelfTest.Result gone = selfTest(Map.of());
        assertEquals(HookStatus.State.RUNTIME_MISSING, gone.state());
        assertTrue(gone.reason().contains("hook.jar is missing"), gone.reason());
        Files.write(runtime.classpath().get(0), new byte[0]);

        InstallFiles.setMode(repo.resolve("hooks/pre-receive"), "0644");
        assertEquals(HookStatus.State.NOT_RUN_BY_GIT, selfTest(Map.of()).state());
    }

    @Test
    void aFailingSelfTestPutsTheRepositoryBackAsItWas() throws Exception {
        Path hook = Fixtures.script(repo.resolve("hooks/pre-receive"), "#!/bin/sh\necho the team's hook\n");
        byte[] before = Files.readAllBytes(hook);

        HookInstaller.Result r = install(Map.of("GATEKEEPER_FAKE", "no-event"));

        assertEquals(HookInstaller.Outcome.FAILED, r.outcome());
        assertTrue(r.problem().orElseThrow().startsWith("self-test: CANNOT AUDIT"), r.problem().toString());
        assertTrue(r.problem().orElseThrow().contains("nothing was left installed"), r.problem().toString());
        assertEquals(new String(before), Files.readString(hook), "the team's hook is back");
        assertTrue(!Files.exists(HookManifest.file(repo)) && !Files.exists(repo.resolve("gatekeeper/chained")));
        assertEquals(null, Fixtures.config(repo, "receive.advertisePushOptions"));

        // an upgrade that fails keeps the install that worked
        HookInstaller.Result ok = install(Map.of());
        assertTrue(ok.ok(), () -> ok.problem().orElse(""));
        byte[] working = Files.readAllBytes(hook);
        Path newJava = Fixtures.script(tmp.resolve("rt2/java"), FAKE_GATE);
        runtime = new HookRuntime(newJava, runtime.classpath(), runtime.jvmOptions(), Optional.empty());
        HookInstaller.Result upgrade = install(Map.of("GATEKEEPER_FAKE", "fail-closed"));
        assertEquals(HookInstaller.Outcome.FAILED, upgrade.outcome());
        assertTrue(upgrade.problem().orElseThrow().contains("the previous install is back in place"),
                upgrade.problem().toString());
        assertEquals(new String(working), Files.readString(hook));
        assertEquals(HookStatus.State.INSTALLED, HookStatus.check(repo).state());
    }
}
