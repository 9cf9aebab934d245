package dev.gatekeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * verify-push's usage text is the one list of its options (shell completion is made from it), so it is held to
 * the parser: every documented option is accepted, the ones documented with a value are the ones that take one.
 */
class VerifyPushOptionsTest {
    @Test
    void theUsageListsWhatTheParserTakes() {
        var documented = VerifyPushMain.documented();
        assertTrue(documented.size() >= 25, "options found in the usage: " + documented);
        Set<String> withValue = documented.stream().filter(o -> o.label() != null)
                .flatMap(o -> o.names().stream()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(VerifyPushMain.TAKES_VALUE), withValue, "options that take a value");
        for (var o : documented) {
            for (String name : o.names()) {
                String err = run(o.label() == null ? new String[] {name, "--bogus-option"}
                        : new String[] {name, value(o.label()), "--bogus-option"});
                // the parser went past the documented option and stopped at the bogus one
                assertTrue(err.contains("unknown option --bogus-option") || name.matches("-h|--help|-V|--version"),
                        name + ": " + err);
                assertFalse(err.contains("unknown option " + name), name + ": " + err);
            }
        }
    }

    @Test
    void completionOffersVerifyPushsOptionsAndFixedValues() {
        String script = Completion.script();
        for (var o : VerifyPushMain.documented()) {
            for (String name : o.names()) {
                assertTrue(script.contains("'" + name + "'"), name + " is not in the completion script");
            }
        }
        assertTrue(script.contains("(\"auto\" \"git\" \"github\") # --via values"), "--via's values");
        assertTrue(script.contains("(\"pre-receive\" \"post-receive\" \"pre-commit\" \"pre-push\")"),
                "hook names");
    }

    private static String value(String label) {
        return switch (label) {
            case "DURATION" -> "30s";
            case "auto|git|github" -> "git";
            default -> "x";
        };
    }

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        VerifyPushMain.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return err.toString(StandardCharsets.UTF_8);
    }
}
