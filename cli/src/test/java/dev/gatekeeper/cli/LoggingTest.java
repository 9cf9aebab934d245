package dev.gatekeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class LoggingTest {
    @Test
    void credentialsInALogLineAreMasked() {
        String line = Logging.redact("fetch https://x-access-token:ghs_abcdefghijklmnop1234@github.com/o/r.git with "
                + "Authorization: Bearer abc.def and token=gk1.eyJhbGciOi.c2lnbmF0dXJl, secret: hunter2; "
                + "pat github_pat_11ABCDEFG0123456789abcdef");
        for (String secret : new String[] {"ghs_abcdefghijklmnop1234", "abc.def", "gk1.eyJhbGciOi", "hunter2",
            "github_pat_11ABCDEFG"}) {
            assertFalse(line.contains(secret), secret + " in: " + line);
        }
        assertTrue(line.contains("https://***@github.com/o/r.git"), line);
        assertTrue(line.contains("Authorization: Bearer ***"), line);
        assertEquals("readpipe [git, --version],/usr/bin", Logging.redact("readpipe [git, --version],/usr/bin"));
    }

    @Test
    void quietStderrDropsWarningsNotesAndProgressButNotErrors() {
        StringWriter to = new StringWriter();
        PrintWriter w = new PrintWriter(new Logging.QuietWriter(to), true);
        w.println("gatekeeper: warning: could not send the alert");
        w.println("gatekeeper stabilize: warning: slow");
        w.println("gatekeeper: WARNING: not recorded in the registry");
        w.println("  note: no pipeline secret yet");
        w.print("\rscanning 3/10 ");
        w.print("\r\033[K");
        w.println("gatekeeper: --since: not a duration");
        w.println("policy.yaml:3:5: 'alowDeletion': unknown key");
        w.close();
        assertEquals("gatekeeper: --since: not a duration" + System.lineSeparator() + "policy.yaml:3:5: "
                + "'alowDeletion': unknown key" + System.lineSeparator(), to.toString());
    }
}
