package dev.gatekeeper.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gatekeeper.stabilize.StabilizeSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The YAML side of {@link OneStabilizeConfiguration}, and the comparison every packaging's test relies on. */
class OneStabilizeConfigurationTest {
    @TempDir
    Path tmp;

    @Test
    void theYamlFileGivesEverySettingItWrites() throws Exception {
        StabilizeSettings s = OneStabilizeConfiguration.fromYaml(tmp, tmp);
        assertEquals(Duration.ofSeconds(90), s.waitFor());
        assertEquals(2, s.probes().size());
        assertEquals(7, s.plan().samples());
        assertEquals(5, s.maxRevertsPerDay());
        assertEquals(Path.of(OneStabilizeConfiguration.AUDIT_LOG), s.auditLog());
        assertEquals("slack", s.notifications().get(0).kind());
    }

    @Test
    void theComparisonSeesOneSettingChanged() throws Exception {
        StabilizeSettings yaml = OneStabilizeConfiguration.fromYaml(tmp, tmp);
        StabilizeSettings.Builder b = StabilizeSettings.builder().directory(tmp)
                .config(tmp.resolve("stabilize.yaml"), SettingsCatalog.ENV);
        OneStabilizeConfiguration.assertSameSettings(yaml, b.build());
        assertThrows(AssertionError.class, () -> OneStabilizeConfiguration.assertSameSettings(yaml,
                b.set(StabilizeSettings.Key.BODY_REGEX, "read").build()));
        b.set(StabilizeSettings.Key.BODY_REGEX, "ready").header("X-Sample", "Bearer another-value");
        assertThrows(AssertionError.class, () -> OneStabilizeConfiguration.assertSameSettings(yaml, b.build()),
                "a header's value differs");
    }
}
