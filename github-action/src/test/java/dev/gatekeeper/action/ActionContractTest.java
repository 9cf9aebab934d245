package dev.gatekeeper.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** action.yml and ActionMain agree: every input is read, every output is written. */
class ActionContractTest {

    static final Path MODULE = Path.of(System.getProperty("user.dir"));

    JsonNode action() throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(MODULE.resolve("action.yml").toFile());
    }

    @Test
    void everyInputReachesTheContainerAndIsRead() throws Exception {
        JsonNode a = action();
        List<String> inputs = new ArrayList<>();
        a.get("inputs").fieldNames().forEachRemaining(inputs::add);
        assertEquals(ActionMain.INPUTS, inputs);
        JsonNode env = a.get("runs").get("env");
        String source = Files.readString(MODULE.resolve("src/main/java/dev/gatekeeper/action/ActionMain.java"));
        for (String in : inputs) {
            JsonNode e = env.get("INPUT_" + in.toUpperCase(Locale.ROOT).replace('-', '_'));
            assertTrue(e != null && e.asText().equals("${{ inputs." + in + " }}"), "runs.env maps " + in);
            assertTrue(source.contains("input(env, \"" + in + "\")"), "ActionMain reads " + in);
            assertTrue(a.get("inputs").get(in).hasNonNull("description"), in + " has a description");
        }
        assertEquals("${{ github.token }}", a.get("inputs").get("token").get("default").asText());
        assertEquals("docker", a.get("runs").get("using").asText());
        assertEquals("Dockerfile", a.get("runs").get("image").asText());
    }

    @Test
    void everyOutputIsDeclaredAndWritten() throws Exception {
        JsonNode a = action();
        List<String> outputs = new ArrayList<>();
        a.get("outputs").fieldNames().forEachRemaining(outputs::add);
        assertEquals(ActionMain.OUTPUTS, outputs);
        for (String o : outputs) {
            assertTrue(a.get("outputs").get(o).hasNonNull("description"), o + " has a description");
        }
        // written on every run, even a usage error (ActionRunTest checks the success paths)
        Path tmp = Files.createTempDirectory("contract");
        Path out = tmp.resolve("out");
        int code = ActionMain.run(java.util.Map.of("GITHUB_OUTPUT", out.toString(), "INPUT_COMMAND", "nope",
                "GITHUB_WORKSPACE", tmp.toString()), new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        assertEquals(2, code);
        assertEquals(outputs, new ArrayList<>(ActionRunTest.parseOutputs(Files.readString(out)).keySet()));
    }

    @Test
    void dockerfileRules() throws Exception {
        String d = Files.readString(MODULE.resolve("Dockerfile"));
        assertTrue(d.contains("ARG BASE_IMAGE=eclipse-temurin:17-jre"));
        assertTrue(d.lines().noneMatch(l -> l.startsWith("USER ") || l.startsWith("WORKDIR ")));
        assertTrue(d.lines().anyMatch(l -> l.startsWith("ENTRYPOINT [\"/")), "exec form, absolute path");
    }

    @Test
    void examplesUseOnlyDeclaredInputsAndOutputs() throws Exception {
        JsonNode a = action();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        java.util.regex.Pattern ref = java.util.regex.Pattern.compile("steps\\.(\\w+)\\.outputs\\.([\\w-]+)");
        List<Path> examples;
        try (var s = Files.list(MODULE.resolve("examples"))) {
            examples = s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
        assertEquals(3, examples.size());
        int uses = 0;
        for (Path ex : examples) {
            JsonNode wf = yaml.readTree(ex.toFile());
            for (JsonNode job : wf.get("jobs")) {
                List<String> actionSteps = new ArrayList<>();
                for (JsonNode step : job.get("steps")) {
                    if (step.path("uses").asText().contains("gatekeeper/github-action")) {
                        uses++;
                        actionSteps.add(step.path("id").asText());
                        step.get("with").fieldNames().forEachRemaining(k ->
                                assertTrue(a.get("inputs").has(k), ex + ": unknown input " + k));
                        assertTrue(step.get("with").has("command"), ex + ": command is required");
                    }
                }
                java.util.regex.Matcher m = ref.matcher(job.toString());
                while (m.find()) {
                    if (actionSteps.contains(m.group(1))) {
                        assertTrue(a.get("outputs").has(m.group(2)), ex + ": unknown output " + m.group(2));
                    }
                }
            }
        }
        assertEquals(3, uses);
    }
}
