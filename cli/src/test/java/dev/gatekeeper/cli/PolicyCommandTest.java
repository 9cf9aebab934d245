package dev.gatekeeper.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** policy check: text for people, --json with every problem's file, line, column, key, message and allowed. */
class PolicyCommandTest {
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

    private Path broken() throws Exception {
        // a path with ':' and ',' in it: the structured form needs no parsing of "file:line:col: message"
        Path f = Files.createDirectories(tmp.resolve("a:b,c")).resolve("broken.yaml");
        Files.writeString(f, "version: 1\nprotected:\n  - ref: refs/heads/main\n    colour: blue\n");
        return f;
    }

    private Path valid() throws Exception {
        Path f = tmp.resolve("ok.yaml");
        Files.writeString(f, "version: 1\nprotected:\n  - ref: refs/heads/main\n  - ref: refs/heads/release/*\n");
        return f;
    }

    @Test
    void textProblemsOnStderr() throws Exception {
        Path f = broken();
        Result r = run("policy", "check", f.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains(f + ":4:5: 'colour': unknown key (allowed: "), r.err());
        assertEquals("", r.out());
    }

    @Test
    void jsonProblemsAsFields() throws Exception {
        Path bad = broken();
        Path ok = valid();
        Result r = run("policy", "check", "--json", ok.toString(), bad.toString());
        assertEquals(2, r.exit());
        assertEquals("", r.err(), "--json prints nothing on stderr");
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(false, j.get("valid").asBoolean());
        JsonNode first = j.get("files").get(0);
        assertEquals(ok.toString(), first.get("file").asText());
        assertTrue(first.get("valid").asBoolean());
        assertEquals(2, first.get("protected_refs").asInt());
        assertEquals(0, first.get("problems").size());
        JsonNode second = j.get("files").get(1);
        assertEquals(false, second.get("valid").asBoolean());
        JsonNode p = second.get("problems").get(0);
        assertEquals(bad.toString(), p.get("file").asText());
        assertEquals(4, p.get("line").asInt());
        assertEquals(5, p.get("column").asInt());
        assertEquals("colour", p.get("key").asText());
        assertEquals("unknown key", p.get("message").asText());
        assertTrue(p.get("allowed").asText().contains("ref"), p.toString());
    }

    @Test
    void jsonValid() throws Exception {
        Result r = run("policy", "check", valid().toString(), "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertTrue(j.get("valid").asBoolean());
        assertEquals(1, j.get("files").size());
    }
}
