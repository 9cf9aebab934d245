package dev.gatekeeper.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive for {@code gitaly hooks set}, read back by GNU tar and extracted as Gitaly extracts it. */
class GitalyTarballTest {
    @TempDir
    Path tmp;

    @Test
    void tarReadsItAndTheExtractedHookIsRecognisedWithoutAManifest() throws Exception {
        HookRuntime runtime = Fixtures.fakeRuntime(tmp.resolve("rt"));
        Path tar = tmp.resolve("hooks.tar");
        GitalyTarball.write(tar, runtime, "version: 1\nprotected:\n  - ref: refs/heads/main\n".getBytes());

        Fixtures.Run list = Fixtures.run(List.of("tar", "-tvf", tar.toString()), tmp, Map.of(), null);
        assertEquals(0, list.exit(), list.stderr());
        List<String> lines = list.stdout().lines().toList();
        assertEquals(7, lines.size(), list.stdout());
        assertTrue(lines.get(2).startsWith("-rwxr-xr-x") && lines.get(2).endsWith(GitalyTarball.HOOK_PATH), list.stdout());
        assertTrue(lines.get(4).startsWith("-rwxr-xr-x") && lines.get(4).endsWith(GitalyTarball.RECORDER_PATH),
                list.stdout());
        assertTrue(lines.get(6).startsWith("-rw-r--r--") && lines.get(6).endsWith(GitalyTarball.POLICY_PATH), list.stdout());

        Path repo = Fixtures.bare(tmp.resolve("@hashed/ab/cd/abcd.git"));
        Fixtures.Run x = Fixtures.run(List.of("tar", "-xf", tar.toString()), repo, Map.of(), null);
        assertEquals(0, x.exit(), x.stderr());
        String hook = Files.readString(repo.resolve(GitalyTarball.HOOK_PATH), StandardCharsets.UTF_8);
        assertTrue(hook.contains(HookScript.GITALY_MARKER), hook);
        assertEquals(HookStatus.State.INSTALLED, HookStatus.check(repo).state(), "hashed storage marks Gitaly");

        // the hook reads the policy that came with it, unless the server names one
        Path seen = tmp.resolve("policy.seen");
        Fixtures.script(runtime.java(), "#!/bin/sh\ncat >/dev/null\nprintf '%s' \"$GATEKEEPER_POLICY\" >'" + seen
                + "'\n");
        Path hookFile = repo.resolve(GitalyTarball.HOOK_PATH);
        assertEquals(0, Fixtures.sh(hookFile, repo, "x\n", Map.of("GIT_DIR", repo.toString())).exit());
        assertEquals(repo.resolve(GitalyTarball.POLICY_PATH).toRealPath().toString(), Files.readString(seen));
        assertEquals(0, Fixtures.sh(hookFile, repo, "x\n", Map.of("GIT_DIR", repo.toString(), "GATEKEEPER_POLICY",
                "/etc/other.yaml")).exit());
        assertEquals("/etc/other.yaml", Files.readString(seen));
    }
}
