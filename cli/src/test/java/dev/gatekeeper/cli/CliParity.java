package dev.gatekeeper.cli;

import dev.gatekeeper.settings.KeyStyle;
import dev.gatekeeper.settings.SettingKey;
import dev.gatekeeper.settings.SettingsCatalog;
import dev.gatekeeper.settings.SettingsCatalog.Command;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * How the CLI is given each setting: the option its command names the setting by ({@code NAMES}), with the
 * {@link SettingsCatalog} sample as its value, and the settings the CLI's own parser builds from them. Shared with the
 * GitHub Action's parity test, whose {@code args} are these options.
 */
public final class CliParity {
    private CliParity() {}

    /** The arguments every run of {@code c} has in the parity tests (stabilize needs a probe, drift a target). */
    public static List<String> baseline(Command c) {
        return switch (c) {
            case STABILIZE -> List.of("--probe", SettingsCatalog.BASE_PROBE);
            case DRIFT_SCAN -> List.of("--checkout", SettingsCatalog.BASE_CHECKOUT);
            case VERIFY_PUSH -> List.of();
        };
    }

    /** How {@code c} names settings in its options. */
    public static KeyStyle names(Command c) {
        return switch (c) {
            case STABILIZE -> StabilizeCommand.NAMES;
            case DRIFT_SCAN -> DriftCommand.Scan.NAMES;
            case VERIFY_PUSH -> VerifyPushMain.NAMES;
        };
    }

    /**
     * The arguments that give {@code key} its sample: its option (the first name the command gives it), the sample
     * as its value unless the option is a flag; a token file written into {@code tmp} for {@code --token-file}.
     */
    public static List<String> args(Command c, SettingKey key, Path tmp) throws IOException {
        String sample = SettingsCatalog.sample(key);
        String option = names(c).name(key.key()).split("/")[0];
        if (option.equals("--")) {
            return List.of("--", sample);
        }
        if (option.equals("-- COMMAND")) {
            return List.of("--", sample);
        }
        if (option.equals("--token-file")) {
            Path f = tmp.resolve("token-" + key.key());
            Files.writeString(f, SettingsCatalog.ENV.get(sample) + "\n", StandardCharsets.UTF_8);
            return List.of(option, f.toString());
        }
        return flag(c, option) ? List.of(option) : List.of(option, sample);
    }

    /** The settings the CLI builds from {@code args}, as text (secrets hidden), to compare. */
    public static String settings(Command c, List<String> args, Map<String, String> env) throws Exception {
        String[] a = args.toArray(String[]::new);
        return switch (c) {
            case STABILIZE -> {
                StabilizeCommand cmd = new StabilizeCommand();
                new CommandLine(cmd).parseArgs(a);
                yield cmd.settings(env).toString();
            }
            case DRIFT_SCAN -> {
                DriftCommand.Scan cmd = new DriftCommand.Scan();
                new CommandLine(cmd).parseArgs(a);
                yield cmd.settings(env).toString();
            }
            case VERIFY_PUSH -> VerifyPushMain.settings(a, env).build().toString();
        };
    }

    /** Whether the CLI's {@code option} of {@code c} takes no value. */
    static boolean flag(Command c, String option) {
        if (c == Command.VERIFY_PUSH) {
            return !VerifyPushMain.TAKES_VALUE.contains(option);
        }
        Object command = c == Command.STABILIZE ? new StabilizeCommand() : new DriftCommand.Scan();
        OptionSpec o = new CommandLine(command).getCommandSpec().findOption(option);
        if (o == null) {
            throw new AssertionError(c + " has no option " + option);
        }
        return o.arity().max() == 0;
    }

    /** Every setting of {@code c} with its arguments, baseline first. */
    public static List<List<String>> all(Command c, Path tmp) throws IOException {
        List<List<String>> out = new ArrayList<>();
        for (SettingKey k : c.keys()) {
            List<String> a = new ArrayList<>(baseline(c));
            a.addAll(args(c, k, tmp));
            out.add(a);
        }
        return out;
    }
}
