package dev.gatekeeper.cli;

import dev.gatekeeper.settings.OneStabilizeConfiguration;
import dev.gatekeeper.settings.SettingsCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI's options and its --config give stabilize the record the YAML file gives. */
class OneConfigurationTest {
    @TempDir
    Path tmp;

    private dev.gatekeeper.stabilize.StabilizeSettings cli(List<String> options) throws Exception {
        List<String> args = new ArrayList<>(options);
        args.addAll(List.of("-C", tmp.toString()));
        StabilizeCommand cmd = new StabilizeCommand();
        new CommandLine(cmd).parseArgs(args.toArray(String[]::new));
        return cmd.settings(SettingsCatalog.ENV);
    }

    @Test
    void theOptionsGiveTheRecordTheYamlFileGives() throws Exception {
        OneStabilizeConfiguration.assertSameSettings(OneStabilizeConfiguration.fromYaml(tmp, tmp),
                cli(OneStabilizeConfiguration.options()));
    }

    @Test
    void theConfigOptionGivesTheSameRecord() throws Exception {
        Path file = tmp.resolve("app.yaml");
        Files.writeString(file, OneStabilizeConfiguration.YAML, StandardCharsets.UTF_8);
        OneStabilizeConfiguration.assertSameSettings(OneStabilizeConfiguration.fromYaml(tmp, tmp),
                cli(List.of("--config", file.toString())));
    }
}
