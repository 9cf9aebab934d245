package dev.gatekeeper.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.settings.SettingsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriftConfigTest {
    @TempDir Path tmp;

    @Test
    void readsEveryKindOfTarget() throws Exception {
        Path f = tmp.resolve("drift.yaml");
        Files.writeString(f, """
                version: 1
                github:
                  apiUrl: http://127.0.0.1:1
                  baseline: {requiredChecks: [build], requiredReviews: 2}
                targets:
                  - checkout: srv/app
                    branch: main
                  - bare: /srv/git/app.git
                    receive: {denyNonFastForwards: true}
                  - github: acme/app
                    baseline: {allowForcePushes: true}
                """);
        DriftConfig c = DriftConfig.load(f);
        assertEquals(3, c.targets().size());
        assertEquals(tmp.resolve("srv/app").toString(), c.targets().get(0).location());
        assertEquals("true", c.targets().get(1).receive().get("denyNonFastForwards"));
        Target.ProtectionBaseline b = c.targets().get(2).baseline();
        assertEquals(List.of(RequiredCheck.named("build")), b.requiredChecks(),
                "a target's baseline overrides only the keys it names");
        assertTrue(b.allowForcePushes());
        assertEquals("http://127.0.0.1:1", c.githubApiUrl());
    }

    @Test
    void unknownKeysAreErrorsWithLineAndColumn() throws Exception {
        Path f = tmp.resolve("drift.yaml");
        Files.writeString(f, "version: 1\ntargets:\n  - checkout: /srv/app\n    brnach: main\n  - github: x\n"
                + "    reciever: 1\n");
        SettingsException e = assertThrows(SettingsException.class, () -> DriftConfig.load(f));
        String msg = e.getMessage();
        assertTrue(msg.contains("drift.yaml:4:5: 'brnach': unknown key"), msg);
        assertTrue(msg.contains(":6:5: 'reciever': unknown key"), msg);
        assertTrue(msg.contains("not OWNER/REPO"), msg);
    }

    @Test
    void aBaselineNamesWhereChecksComeFromAndWhoMayBypass() throws Exception {
        Path f = tmp.resolve("drift.yaml");
        Files.writeString(f, """
                version: 1
                github:
                  baseline:
                    requiredChecks: [build, {context: context2, appId: 123}]
                    allowBypass: [{actorType: Integration, actorId: 29110}, {actorType: DeployKey}]
                targets:
                  - github: acme/app
                  - github: acme/lib
                    baseline: {allowBypass: []}
                """);
        DriftConfig c = DriftConfig.load(f);
        Target.ProtectionBaseline b = c.targets().get(0).baseline();
        assertEquals(List.of(RequiredCheck.named("build"), new RequiredCheck("context2", 123L)), b.requiredChecks());
        assertEquals(List.of(new BypassActor("Integration", 29110L, null), new BypassActor("DeployKey", null, null)),
                b.allowBypass());
        assertTrue(b.enforceAdmins(), "the defaults stay");
        assertEquals(List.of(), c.targets().get(1).baseline().allowBypass());
        assertEquals(b.requiredChecks(), c.targets().get(1).baseline().requiredChecks());
    }

    @Test
    void aMisspeltOrAdminBypassOrAnAppIdThatIsNotANumberIsAnError() throws Exception {
        Path f = tmp.resolve("drift.yaml");
        Files.writeString(f, """
                version: 1
                github:
                  baseline:
                    requiredChecks: [{context: build, appID: 1}, {context: test, appId: actions}, {appId: 2}]
                    allowBypass:
                      - {actorType: Integration, actorId: 29110}
                      - {actorType: OrganizationAdmin}
                      - {actorType: RepositoryRole, actorId: 5}
                      - {actorType: Robot}
                targets:
                  - github: acme/app
                """);
        SettingsException e = assertThrows(SettingsException.class, () -> DriftConfig.load(f));
        String msg = e.getMessage();
        assertTrue(msg.contains("'appID': unknown key"), msg);
        assertTrue(msg.contains("invalid value 'actions'"), msg);
        assertTrue(msg.contains("'context'") && msg.contains("missing"), msg);
        assertTrue(msg.contains("OrganizationAdmin is an admin"), msg);
        assertTrue(msg.contains("RepositoryRole 5 is an admin"), msg);
        assertTrue(msg.contains("unknown actor type 'Robot'"), msg);
    }

    /** The example under README's "The config file" is what users copy: it must load, new keys included. */
    @Test
    void theReadmesExampleConfigLoads() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int section = readme.indexOf("### The config file");
        int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
        Path f = tmp.resolve("drift.yaml");
        Files.writeString(f, readme.substring(start, readme.indexOf("```", start)));
        DriftConfig c = DriftConfig.load(f);
        Target.ProtectionBaseline b = c.targets().get(2).baseline();
        assertEquals(List.of(RequiredCheck.named("test"), new RequiredCheck("build", 15368L)), b.requiredChecks());
        assertEquals(2, b.allowBypass().size());
        assertTrue(b.allowDeletions(), "the target's override");
    }
}
