package dev.gatekeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The picocli subcommand hands every argument, "--" and "--help" included, to VerifyPushMain untouched. */
class VerifyPushCommandTest {
    @Test
    void argumentsReachVerifyPushUntouched() {
        assertEquals(0, Main.commandLine().execute("verify-push", "--help"));
        assertEquals(2, Main.commandLine().execute("verify-push", "--bogus"));
        // --since with a wrapped command is refused by verify-push itself, so "--" and the command arrived
        assertEquals(2, Main.commandLine().execute("verify-push", "--since", "HEAD", "--", "true"));
    }
}
