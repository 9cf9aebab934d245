package dev.gatekeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The picocli layer of drift scan: options reach the scan, usage errors are exit 2. */
class DriftCommandTest {
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
    void aMalformedConfigIsAUsageErrorWithLineAndColumn() throws Exception {
        Path cfg = tmp.resolve("drift.yaml");
        Files.writeString(cfg, "version: 1\ntargets:\n  - checkout: /srv/app\n    brnach: main\n");
        Result r = run("drift", "scan", "--config", cfg.toString(), "--state", tmp.resolve("s.json").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("drift.yaml:4:5: 'brnach': unknown key"), r.err());
    }

    @Test
    void anUnscannableTargetIsExit4AndNamed() {
        Result r = run("drift", "scan", "--checkout", tmp.resolve("nowhere").toString() + "@main", "--state",
                tmp.resolve("s.json").toString(), "--json");
        assertEquals(4, r.exit(), r.err());
        assertTrue(r.out().contains("\"status\":\"error\"") && r.out().contains("\"verdict\":\"inconclusive\""), r.out());
    }

    @Test
    void dirResolvesRelativeConfigCheckoutAndState() throws Exception {
        Path sub = Files.createDirectories(tmp.resolve("sub"));
        Files.writeString(sub.resolve("drift.yaml"), "version: 1\ntargets:\n  - checkout: app\n    brnach: main\n");
        Result bad = run("drift", "scan", "-C", sub.toString(), "--config", "drift.yaml", "--state", "s.json");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains(sub.resolve("drift.yaml") + ":4:5: 'brnach': unknown key"), bad.err());

        Result r = run("drift", "scan", "--dir", sub.toString(), "--checkout", "nowhere@main", "--state", "s.json",
                "--json");
        assertEquals(4, r.exit(), r.err());
        assertTrue(r.out().contains(sub.resolve("nowhere").toString()), r.out());
        assertTrue(Files.isRegularFile(sub.resolve("s.json")), "the state file resolves against -C too");
    }

    @Test
    void usageErrors() {
        assertEquals(2, run("drift", "scan", "--state", tmp.resolve("s.json").toString()).exit(), "no targets");
        assertEquals(2, run("drift", "scan", "--bare", "x", "--shard", "3/2", "--state",
                tmp.resolve("s.json").toString()).exit());
        assertEquals(2, run("drift", "scan", "--bare", "x", "--json", "--markdown").exit());
        assertEquals(2, run("drift", "scan", "--bare", "x", "--alert-webhook-env", "GATEKEEPER_NO_SUCH_VARIABLE_X",
                "--state", tmp.resolve("s.json").toString()).exit());
    }
}
