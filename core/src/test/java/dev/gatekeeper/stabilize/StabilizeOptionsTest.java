package dev.gatekeeper.stabilize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StabilizeOptionsTest {
    @TempDir
    Path tmp;

    @Test
    void eachGivenNumberOverridesOnlyItsPartOfTheFilesPlan() {
        SamplingPlan file = new SamplingPlan(5, Duration.ofSeconds(2), 1, 7);
        assertEquals(new SamplingPlan(9, Duration.ofSeconds(2), 1, 7),
                new StabilizeOptions().setSamples(9).plan(file));
        assertEquals(new SamplingPlan(5, Duration.ofMillis(500), 0, 7),
                new StabilizeOptions().setInterval("500ms").setFailureLimit(0).plan(file));
        assertEquals(file, new StabilizeOptions().plan(file));
    }

    @Test
    void givenProbesReplaceTheFilesAndGetTheSharedHttpExtras() throws Exception {
        Path f = Files.writeString(tmp.resolve("s.yaml"), "probes: ['tcp:127.0.0.1:1']\n");
        Stabilize s = new Stabilize();
        SamplingPlan[] plan = {SamplingPlan.DEFAULT};
        StabilizeConfig.load(f).applyTo(s, plan);
        new StabilizeOptions().setProbes(List.of("http:HEAD:http://127.0.0.1:9/health", "cmd:true"))
                .setExpectStatus("204").setHeaders(List.of("Authorization=AUTH")).setProbeTimeout("1s")
                .applyTo(s, plan[0]);
        assertEquals(2, s.probes().size());
        assertEquals("http HEAD http://127.0.0.1:9/health", s.probes().get(0).open(Map.of("AUTH", "x"), tmp).name());
        IllegalArgumentException unset = assertThrows(IllegalArgumentException.class,
                () -> s.probes().get(0).open(Map.of(), tmp));
        assertTrue(unset.getMessage().contains("AUTH"), unset.getMessage());
        assertEquals("cmd true", s.probes().get(1).open(Map.of(), tmp).name());
    }

    @Test
    void noProbesGivenKeepsTheFiles() throws Exception {
        Path f = Files.writeString(tmp.resolve("s.yaml"), "probes: ['tcp:127.0.0.1:1']\n");
        Stabilize s = new Stabilize();
        SamplingPlan[] plan = {SamplingPlan.DEFAULT};
        StabilizeConfig.load(f).applyTo(s, plan);
        new StabilizeOptions().setWait("1s").applyTo(s, plan[0]);
        assertEquals(1, s.probes().size());
    }

    @Test
    void badValuesNameTheSettingAsThePackagingCallsIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StabilizeOptions().setWait("soon").applyTo(new Stabilize(), SamplingPlan.DEFAULT));
        assertTrue(e.getMessage().startsWith("wait: "), e.getMessage());
        IllegalArgumentException cli = assertThrows(IllegalArgumentException.class,
                () -> new StabilizeOptions().setNames(n -> "--" + n).setProbes(List.of("http://x"))
                        .setHeaders(List.of("nope")).applyTo(new Stabilize(), SamplingPlan.DEFAULT));
        assertTrue(cli.getMessage().startsWith("--header 'nope'"), cli.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new StabilizeOptions().setProbes(List.of("ftp:x")).applyTo(new Stabilize(), SamplingPlan.DEFAULT));
    }
}
