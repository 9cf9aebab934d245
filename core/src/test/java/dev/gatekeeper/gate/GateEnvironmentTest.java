package dev.gatekeeper.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateEnvironmentTest {
    @TempDir
    Path tmp;

    @Test
    void repositoryNameComesFromTheFolder() {
        assertEquals("app", GateEnvironment.nameOf(Path.of("/srv/git/app.git")));
        assertEquals("app", GateEnvironment.nameOf(Path.of("/home/me/app/.git")));
        assertEquals("tools", GateEnvironment.nameOf(Path.of("/srv/git/tools")));
    }

    @Test
    void policyLookupOrderAndDefaults() throws Exception {
        Path gitDir = Files.createDirectories(tmp.resolve("app.git/gatekeeper")).getParent();
        Path etc = Files.createDirectories(tmp.resolve("etc"));
        Map<String, String> env = Map.of("GATEKEEPER_CONFIG_DIR", etc.toString());

        GateEnvironment none = GateEnvironment.load(gitDir, env);
        assertNull(none.policy());
        assertTrue(none.policyProblem().startsWith("no policy found"), none.policyProblem());
        assertEquals("app", none.repositoryName());
        assertEquals(gitDir.resolve("gatekeeper/events.jsonl").toAbsolutePath(), none.eventLog().file());
        assertTrue(none.alertsOn("refused"), "without a policy every alert is on");

        Files.writeString(etc.resolve("policy.yaml"), "version: 1\nprotected:\n  - ref: refs/heads/main\n");
        GateEnvironment server = GateEnvironment.load(gitDir, env);
        assertNotNull(server.policy());
        assertEquals(etc.resolve("policy.yaml").toString(), server.policySource());
        assertTrue(server.alertsOn("break-glass"));
        assertTrue(!server.alertsOn("refused"));

        Files.writeString(gitDir.resolve("gatekeeper/policy.yaml"),
                "version: 1\nrepository: web\nprotected:\n  - ref: refs/heads/main\n");
        GateEnvironment repo = GateEnvironment.load(gitDir, env);
        assertEquals(gitDir.resolve("gatekeeper/policy.yaml").toString(), repo.policySource());
        assertEquals("web", repo.repositoryName());

        Path missing = tmp.resolve("explicit.yaml");
        GateEnvironment explicit = GateEnvironment.load(gitDir, Map.of("GATEKEEPER_CONFIG_DIR", etc.toString(),
                "GATEKEEPER_POLICY", missing.toString()));
        assertNull(explicit.policy(), "an explicit policy that is missing must not fall back to another one");
        assertTrue(explicit.policyProblem().contains("cannot read the policy file"), explicit.policyProblem());
    }
}
