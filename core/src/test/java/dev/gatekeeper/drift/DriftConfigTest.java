package dev.gatekeeper.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.policy.PolicyException;
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
        assertEquals(List.of("build"), b.requiredChecks(), "a target's baseline overrides only the keys it names");
        assertTrue(b.allowForcePushes());
        assertEquals("http://127.0.0.1:1", c.githubApiUrl());
    }

    @Test
    void unknownKeysAreErrorsWithLineAndColumn() throws Exception {
        Path f = tmp.resolve("drift.yaml");
        Files.writeString(f, "version: 1\ntargets:\n  - checkout: /srv/app\n    brnach: main\n  - github: x\n"
                + "    reciever: 1\n");
        PolicyException e = assertThrows(PolicyException.class, () -> DriftConfig.load(f));
        String msg = e.getMessage();
        assertTrue(msg.contains("drift.yaml:4:5: 'brnach': unknown key"), msg);
        assertTrue(msg.contains(":6:5: 'reciever': unknown key"), msg);
        assertTrue(msg.contains("not OWNER/REPO"), msg);
    }
}
