package dev.gatekeeper.cli;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.settings.SettingKey;
import dev.gatekeeper.settings.SettingsCatalog;
import dev.gatekeeper.settings.SettingsCatalog.Command;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Parity, the CLI's part: every setting of every command's settings record is an option of the CLI command, and
 * giving it changes the settings the CLI builds (an option that exists but reaches nothing fails too). A setting
 * added to a record without an option, or without a sample in {@link SettingsCatalog}, fails here.
 */
class SettingsParityTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Command.class)
    void everySettingIsAnOptionThatReachesTheSettings(Command c) throws Exception {
        String base = CliParity.settings(c, CliParity.baseline(c), SettingsCatalog.ENV);
        List<String> missing = new ArrayList<>();
        for (SettingKey k : c.keys()) {
            List<String> args = new ArrayList<>(CliParity.baseline(c));
            args.addAll(CliParity.args(c, k, tmp));
            String with = CliParity.settings(c, args, SettingsCatalog.ENV);
            if (with.equals(base)) {
                missing.add(k.key() + " (given as " + args + ")");
            }
        }
        assertTrue(missing.isEmpty(), c + ": settings the CLI's options do not reach: " + missing);
    }

    @ParameterizedTest
    @EnumSource(Command.class)
    void aBadValueIsNamedAsTheOptionTheUserTyped(Command c) throws Exception {
        String option = switch (c) {
            case STABILIZE -> "--max-reverts-per-day";
            case DRIFT_SCAN -> "--parallel";
            case VERIFY_PUSH -> "--timeout";
        };
        List<String> args = new ArrayList<>(CliParity.baseline(c));
        args.addAll(List.of(option, "0"));
        Exception e = assertThrows(Exception.class, () -> CliParity.settings(c, args, SettingsCatalog.ENV));
        String shown = dev.gatekeeper.outcome.Outcome.of(e, CliParity.names(c)).summary();
        assertTrue(shown.startsWith(option + ": invalid value '0'"), shown);
        assertNotEquals(-1, shown.indexOf("allowed"), shown);
    }
}
