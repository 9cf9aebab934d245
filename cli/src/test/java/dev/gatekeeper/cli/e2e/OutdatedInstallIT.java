package dev.gatekeeper.cli.e2e;

import static dev.gatekeeper.cli.e2e.Pushes.assertContains;
import static dev.gatekeeper.cli.e2e.Pushes.assertRefusedByGate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatekeeper.install.OlderInstall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gatekeeper upgraded under a repository whose hooks an older version installed (hook script v2, no post-receive
 * recorder), before anyone ran {@code hooks install --all}. Its pushes are still judged, but what landed is never
 * recorded and a deleted version folder would refuse every push. On main before this test {@code hooks status} said
 * INSTALLED (exit 0): an admin could not see which repositories still needed the reinstall. Now: OUTDATED (exit 3),
 * naming what is missing, in text, {@code --all} and {@code --json}; {@code hooks install --all} updates it.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class OutdatedInstallIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path root;
    Map<String, String> env;
    Git git;
    Dist dist;
    GitServer old;
    GitServer current;
    Path policy;

    @BeforeEach
    void setUp() throws IOException {
        env = new HashMap<>(Env.isolated(root));
        env.put("GATEKEEPER_CONFIG_DIR", Files.createDirectories(root.resolve("etc")).toString());
        git = new Git(env);
        dist = new Dist(env).copyTo(root);
        old = GitServer.create(git, root.resolve("srv"), "old");
        current = GitServer.create(git, root.resolve("srv"), "current");
        policy = Policies.standard(root.resolve("policies"));
    }

    private long landed(GitServer s) {
        return s.events().stream().filter(e -> "push.landed".equals(e.path("type").asText())).count();
    }

    @Test
    void anInstallByTheVersionBeforeTheRecorderIsOutdatedNamingWhatItLacksUntilInstallAllUpdatesIt()
            throws IOException {
        dist.install(policy, old.gitDir(), false);
        dist.install(policy, current.gitDir(), false);
        OlderInstall.asVersion2(old.gitDir());
        assertTrue(Files.readString(old.gitDir().resolve("hooks/pre-receive"))
                .contains("# gatekeeper-managed hook v2\n"));
        assertFalse(Files.exists(old.gitDir().resolve("hooks/post-receive")));

        // the old install still judges pushes, and records nothing of what landed
        Path work = git.cloneInto(old.fileUrl(), root.resolve("work"));
        git.commit(work, "a.txt", "a\n", "a");
        git.push(work, List.of(), old.fileUrl(), "HEAD:refs/heads/feature").expectOk();
        assertRefusedByGate(git.push(work, List.of(), old.fileUrl(), "HEAD:main"), "refs/heads/main",
                "refs/heads/main");
        assertEquals(0, landed(old), "v2 without the recorder: " + old.events());

        Proc.Result status = dist.run(root, "hooks", "status", old.gitDir().toString()).expectExit(3);
        assertTrue(status.stdout().startsWith("OUTDATED  " + old.gitDir()), status.describe());
        assertContains(status, "OUTDATED hooks/post-receive: no post-receive recorder: landed pushes are not recorded");
        assertContains(status, "OUTDATED hooks/pre-receive: hook script v2: no hook-jar fallback (a deleted version"
                + " folder would refuse every push)");
        assertContains(status, "self-test passed");

        Proc.Result all = dist.run(root, "hooks", "status", "--all", root.resolve("srv").toString()).expectExit(3);
        assertContains(all, "INSTALLED  " + current.gitDir());
        assertContains(all, "OUTDATED  " + old.gitDir());

        Proc.Result json = dist.run(root, "hooks", "status", "--json", "--no-self-test", "--all",
                root.resolve("srv").toString()).expectExit(3);
        Map<String, JsonNode> byDir = new HashMap<>();
        for (String line : json.stdout().lines().toList()) {
            JsonNode n = JSON.readTree(line);
            byDir.put(n.path("git_dir").asText(), n);
        }
        JsonNode o = byDir.get(old.gitDir().toString());
        assertEquals("outdated", o.path("state").asText(), json.stdout());
        assertFalse(o.path("installed").asBoolean(), json.stdout());
        assertEquals(2, o.path("findings").size(), json.stdout());
        o.path("findings").forEach(f -> assertEquals("outdated", f.path("state").asText(), json.stdout()));
        assertEquals("installed", byDir.get(current.gitDir().toString()).path("state").asText(), json.stdout());

        // the drift scan reports it as a finding of its own kind (not counted as tampered)
        Proc.Result drift = dist.driftScanBare(root, old.gitDir(), root.resolve("drift/state.json"));
        assertEquals(3, drift.exitCode(), drift.describe());
        assertContains(drift, "hooks-outdated");

        // the upgrade's last step: every repository, in place
        Proc.Result install = dist.installAll(root.resolve("srv"));
        assertContains(install, "updated: " + old.gitDir());
        assertContains(install, "unchanged: " + current.gitDir());
        dist.run(root, "hooks", "status", "--all", root.resolve("srv").toString()).expectExit(0);
        git.commit(work, "b.txt", "b\n", "b");
        git.push(work, List.of(), old.fileUrl(), "HEAD:refs/heads/feature").expectOk();
        assertEquals(1, landed(old), "the recorder now records what landed: " + old.events());
    }

    @Test
    void driftHealBringsAnOutdatedInstallUpToDate() throws IOException {
        dist.install(policy, old.gitDir(), false);
        OlderInstall.asVersion2(old.gitDir());

        Proc.Result heal = dist.run(root, "drift", "scan", "--bare", old.gitDir().toString(), "--state",
                root.resolve("drift/state.json").toString(), "--heal");
        assertTrue(heal.exitCode() == 0 || heal.exitCode() == 3, heal.describe());
        assertContains(heal, "reinstalled");
        dist.run(root, "hooks", "status", old.gitDir().toString()).expectExit(0);
        assertTrue(Files.readString(old.gitDir().resolve("hooks/pre-receive")).contains("# gatekeeper-managed hook v3"));
    }
}
