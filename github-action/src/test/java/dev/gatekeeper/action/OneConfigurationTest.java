package dev.gatekeeper.action;

import dev.gatekeeper.settings.OneStabilizeConfiguration;
import dev.gatekeeper.settings.SettingsCatalog;
import dev.gatekeeper.stabilize.StabilizeSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A workflow's {@code args} input, as the runner hands it over, gives stabilize the record the YAML file gives. */
class OneConfigurationTest {
    @TempDir
    Path tmp;

    @Test
    void theArgsInputGivesTheRecordTheYamlFileGives() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        // the input as a workflow writes it: one line, the deploy command quoted
        String input = String.join(" ", OneStabilizeConfiguration.options().stream()
                .map(a -> a.contains(" ") ? "'" + a + "'" : a).toList());
        StabilizeSettings action = (StabilizeSettings) ActionMain.settings("stabilize", ActionMain.split(input), ws,
                SettingsCatalog.ENV, "");
        OneStabilizeConfiguration.assertSameSettings(OneStabilizeConfiguration.fromYaml(tmp, ws), action);
    }
}
