package dev.gatekeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The picocli layer of stabilize: settings errors are exit 2 and name the option as the user typed it. */
class StabilizeCommandTest {
    @TempDir Path tmp;

    private record Result(int exit, String out, String err) {}

    private Result run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void badValuesAreUsageErrorsNamingTheOption() {
        Result wait = run("stabilize", "-C", tmp.toString(), "--probe", "tcp:127.0.0.1:1", "--wait", "soon");
        assertEquals(2, wait.exit(), wait.err());
        assertTrue(wait.err().contains("--wait: "), wait.err());
        Result header = run("stabilize", "-C", tmp.toString(), "--probe", "http://127.0.0.1:1/", "--header",
                "nope");
        assertEquals(2, header.exit(), header.err());
        assertTrue(header.err().contains("--header: 'nope': expected NAME=ENVVAR"), header.err());
        Result several = run("stabilize", "-C", tmp.toString(), "--samples", "0", "--body-regex", "(", "--probe",
                "ftp:x");
        assertEquals(2, several.exit(), several.err());
        assertTrue(several.err().contains("--samples: invalid value '0'") && several.err().contains("--body-regex: ")
                && several.err().contains("--probe: 'ftp:x'"), "every problem at once, as the options: "
                + several.err());
    }
}
