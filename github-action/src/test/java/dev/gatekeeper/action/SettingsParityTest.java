package dev.gatekeeper.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.cli.CliParity;
import dev.gatekeeper.settings.SettingKey;
import dev.gatekeeper.settings.SettingsCatalog;
import dev.gatekeeper.settings.SettingsCatalog.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Parity, the GitHub Action's part: the Action's {@code args} are the CLI's options, so every setting of every
 * command reaches the Action's settings, and they are exactly the settings the CLI builds from the same options in
 * the same working clone (one parser, no second list to drift). action.yml documents {@code args} as the options.
 */
class SettingsParityTest {
    @TempDir
    Path tmp;

    static String command(Command c) {
        return switch (c) {
            case STABILIZE -> "stabilize";
            case DRIFT_SCAN -> "drift-scan";
            case VERIFY_PUSH -> "verify-push";
        };
    }

    @ParameterizedTest
    @EnumSource(Command.class)
    void everySettingReachesTheActionAsTheCliBuildsIt(Command c) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("ws"));
        String base = ActionMain.settings(command(c), CliParity.baseline(c), dir, SettingsCatalog.ENV, "").toString();
        List<String> unreached = new ArrayList<>();
        for (SettingKey k : c.keys()) {
            List<String> args = new ArrayList<>(CliParity.baseline(c));
            args.addAll(CliParity.args(c, k, tmp));
            String action = ActionMain.settings(command(c), args, dir, SettingsCatalog.ENV, "").toString();
            if (action.equals(base)) {
                unreached.add(k.key());
            }
            // the CLI run in the working-directory: what the Action passes it (-C resolved against it)
            List<String> cli = List.of(ActionMain.withDir(args, dir));
            assertEquals(CliParity.settings(c, cli, SettingsCatalog.ENV), action, k.key() + ": the CLI's settings");
        }
        assertEquals(List.of(), unreached, command(c) + ": settings the Action's args do not reach");
    }

    @Test
    void actionYmlDocumentsArgsAsTheCommandsOptions() throws Exception {
        String yml = Files.readString(Path.of(System.getProperty("user.dir")).resolve("action.yml"));
        assertTrue(yml.contains("The command's settings, as the CLI's options"), "action.yml: args are the options");
    }

    @Test
    void theTokenInputIsVerifyPushsGitHubToken() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("ws"));
        String without = ActionMain.settings("verify-push", List.of(), dir, SettingsCatalog.ENV, "").toString();
        String with = ActionMain.settings("verify-push", List.of(), dir, SettingsCatalog.ENV, "ghs_input").toString();
        assertTrue(without.contains("githubToken=null") && with.contains("githubToken=****"), with);
    }
}
