package dev.gatekeeper.stabilize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StabilizeConfigTest {
    @TempDir
    Path tmp;

    @Test
    void readsEveryKindOfProbeAndThePlan() throws Exception {
        Path f = tmp.resolve("stabilize.yaml");
        Files.writeString(f, String.join("\n",
                "branch: main",
                "wait: 30s",
                "samples: 5",
                "interval: 2s",
                "failureLimit: 1",
                "probes:",
                "  - http: http://127.0.0.1:8080/health",
                "    method: HEAD",
                "    status: 200-204",
                "    json: status=UP",
                "    timeout: 2s",
                "    headers: {Authorization: HEALTH_AUTH}",
                "  - tcp: 127.0.0.1:5432",
                "  - 'cmd:true'",
                "deploy: systemctl restart app",
                "notify: [slack:SLACK_URL, webhook:HOOK_URL]",
                ""));
        Stabilize s = new Stabilize();
        SamplingPlan[] plan = {SamplingPlan.DEFAULT};
        StabilizeConfig.load(f).applyTo(s, plan);
        assertEquals(new SamplingPlan(5, Duration.ofSeconds(2), 1, 4), plan[0]);
        assertEquals(3, s.probes().size());
        assertEquals("http HEAD http://127.0.0.1:8080/health",
                s.probes().get(0).open(Map.of("HEALTH_AUTH", "x"), tmp).name());
        assertEquals("tcp 127.0.0.1:5432", s.probes().get(1).open(Map.of(), tmp).name());
        assertEquals("cmd true", s.probes().get(2).open(Map.of(), tmp).name());
    }

    @Test
    void unknownKeysAndBadValuesAreUsageErrors() throws Exception {
        Path typo = tmp.resolve("typo.yaml");
        Files.writeString(typo, "probe: http://x\n");
        GatekeeperException e = assertThrows(GatekeeperException.class, () -> StabilizeConfig.load(typo));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("unknown key 'probe'"), e.getMessage());

        Path notAFlag = tmp.resolve("flag.yaml");
        Files.writeString(notAFlag, "holdOnErrors: sometimes\n");
        GatekeeperException e3 = assertThrows(GatekeeperException.class, () -> StabilizeConfig.load(notAFlag)
                .applyTo(new Stabilize(), new SamplingPlan[] {SamplingPlan.DEFAULT}));
        assertTrue(e3.getMessage().contains("holdOnErrors: expected true or false"), e3.getMessage());

        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "wait: soon\n");
        GatekeeperException e2 = assertThrows(GatekeeperException.class,
                () -> StabilizeConfig.load(bad).applyTo(new Stabilize(), new SamplingPlan[] {SamplingPlan.DEFAULT}));
        assertTrue(e2.getMessage().contains("duration"), e2.getMessage());
    }
}
