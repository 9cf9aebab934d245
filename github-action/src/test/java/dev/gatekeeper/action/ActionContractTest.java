package dev.gatekeeper.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        // a prebuilt image, never built by the user's job (ImageAndReleaseContractTest: which one)
        assertTrue(a.get("runs").get("image").asText().startsWith("docker://"), a.get("runs").get("image").asText());
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

    /** The examples' steps that use one of our two actions: the container action or setup-gatekeeper. */
    enum OurAction {
        CONTAINER("gatekeeper/github-action@", "action.yml"),
        SETUP("gatekeeper/setup-gatekeeper@", "../setup-gatekeeper/action.yml");

        final String usesPart;
        final String metadata;

        OurAction(String usesPart, String metadata) {
            this.usesPart = usesPart;
            this.metadata = metadata;
        }

        static OurAction of(JsonNode step) {
            for (OurAction a : values()) {
                if (step.path("uses").asText().contains(a.usesPart)) {
                    return a;
                }
            }
            return null;
        }
    }

    static List<Path> examples() throws Exception {
        try (var s = Files.list(MODULE.resolve("examples"))) {
            return s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    @Test
    void examplesUseOnlyDeclaredInputsAndOutputs() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        java.util.regex.Pattern ref = java.util.regex.Pattern.compile("steps\\.([\\w-]+)\\.outputs\\.([\\w-]+)");
        java.util.Map<OurAction, Integer> uses = new java.util.EnumMap<>(OurAction.class);
        for (Path ex : examples()) {
            JsonNode wf = yaml.readTree(ex.toFile());
            for (JsonNode job : wf.get("jobs")) {
                java.util.Map<String, OurAction> actionSteps = new java.util.HashMap<>();
                for (JsonNode step : job.get("steps")) {
                    OurAction which = OurAction.of(step);
                    if (which == null) {
                        continue;
                    }
                    uses.merge(which, 1, Integer::sum);
                    JsonNode meta = yaml.readTree(MODULE.resolve(which.metadata).toFile());
                    actionSteps.put(step.path("id").asText(), which);
                    step.path("with").fieldNames().forEachRemaining(k ->
                            assertTrue(meta.get("inputs").has(k), ex + ": unknown input " + k));
                    if (which == OurAction.CONTAINER) {
                        assertTrue(step.get("with").has("command"), ex + ": command is required");
                    }
                }
                java.util.regex.Matcher m = ref.matcher(job.toString());
                while (m.find()) {
                    OurAction which = actionSteps.get(m.group(1));
                    if (which != null) {
                        JsonNode meta = yaml.readTree(MODULE.resolve(which.metadata).toFile());
                        assertTrue(meta.get("outputs").has(m.group(2)), ex + ": unknown output " + m.group(2));
                    }
                }
            }
        }
        assertTrue(uses.getOrDefault(OurAction.CONTAINER, 0) >= 2, "the container action is shown: " + uses);
        assertTrue(uses.getOrDefault(OurAction.SETUP, 0) >= 2, "setup-gatekeeper is shown: " + uses);
    }

    /**
     * What must run where the job runs uses setup-gatekeeper: a stabilize whose deploy is a script of the job's
     * checkout, or verify-push wrapping an agent command, would run inside the container action's image, where the
     * job's tools are not. And a step that runs {@code gatekeeper} has setup-gatekeeper before it in its job.
     */
    @Test
    void examplesUseTheRightActionForEachJob() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        int hostRuns = 0;
        for (Path ex : examples()) {
            for (JsonNode job : yaml.readTree(ex.toFile()).get("jobs")) {
                boolean setUp = false;
                for (JsonNode step : job.get("steps")) {
                    OurAction which = OurAction.of(step);
                    if (which == OurAction.SETUP) {
                        setUp = true;
                    } else if (which == OurAction.CONTAINER) {
                        String command = step.path("with").path("command").asText();
                        String args = step.path("with").path("args").asText();
                        assertFalse(command.equals("stabilize") && args.matches("(?s).*--deploy\\s+'?\\./.*"),
                                ex + ": a deploy script of the checkout needs the host: use setup-gatekeeper");
                        assertFalse(command.equals("verify-push") && args.matches("(?s).*(^|\\s)--(\\s|$).*"),
                                ex + ": wrap mode runs the agent's command: use setup-gatekeeper");
                    }
                    if (step.path("run").asText().matches("(?s)(.*\\s)?gatekeeper\\s.*")) {
                        assertTrue(setUp, ex + ": a step runs gatekeeper with no setup-gatekeeper before it");
                        hostRuns++;
                    }
                }
            }
        }
        assertTrue(hostRuns >= 2, "stabilize and wrap mode are shown on the host");
    }
}
