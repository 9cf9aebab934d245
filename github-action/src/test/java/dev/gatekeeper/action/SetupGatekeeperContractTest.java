package dev.gatekeeper.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * setup-gatekeeper/action.yml and its script agree: every input is used by a step, every output is a value the
 * install step writes, the shell steps are the script's subcommands (which setup-gatekeeper/fake-runner-test.sh
 * runs against a fake runner), and Java and the caches come from the conventional actions.
 */
class SetupGatekeeperContractTest {
    static final Path DIR = ImageAndReleaseContractTest.ROOT.resolve("setup-gatekeeper");

    JsonNode action() throws Exception {
        return ImageAndReleaseContractTest.YAML.readTree(DIR.resolve("action.yml").toFile());
    }

    @Test
    void aCompositeWhoseShellStepsAreTheScriptsSubcommands() throws Exception {
        JsonNode runs = action().get("runs");
        assertEquals("composite", runs.get("using").asText());
        List<String> subcommands = new ArrayList<>();
        Set<String> uses = new LinkedHashSet<>();
        for (JsonNode step : runs.get("steps")) {
            if (step.has("run")) {
                assertEquals("bash", step.get("shell").asText(), "composite run steps name their shell");
                Matcher m = Pattern.compile("^bash \"\\$GITHUB_ACTION_PATH/setup\\.sh\" (\\w+)$")
                        .matcher(step.get("run").asText().strip());
                assertTrue(m.matches(), "a shell step only calls setup.sh: " + step);
                subcommands.add(m.group(1));
            } else {
                uses.add(step.get("uses").asText().replaceAll("@.*", ""));
            }
        }
        assertEquals(List.of("plan", "install"), subcommands);
        assertEquals(Set.of("actions/setup-java", "actions/cache"), uses);
        String script = Files.readString(DIR.resolve("setup.sh"));
        for (String sub : subcommands) {
            assertTrue(script.contains("\n  " + sub + ")\n"), "setup.sh has the subcommand " + sub);
        }
    }

    @Test
    void everyInputIsUsedAndEveryOutputIsWrittenByTheInstallStep() throws Exception {
        JsonNode a = action();
        String steps = a.get("runs").get("steps").toString();
        a.get("inputs").fieldNames().forEachRemaining(in -> {
            assertTrue(steps.contains("inputs." + in), "input " + in + " is used by a step");
            assertTrue(a.get("inputs").get(in).hasNonNull("description"), in + " has a description");
        });
        String script = Files.readString(DIR.resolve("setup.sh"));
        String install = script.substring(script.indexOf("\n  install)\n"));
        a.get("outputs").fieldNames().forEachRemaining(out -> {
            assertEquals("${{ steps.install.outputs." + out + " }}", a.get("outputs").get(out).get("value").asText());
            assertTrue(install.contains("output " + out + " "), "the install step writes " + out);
        });
        // the outputs of plan the later steps read are written by plan
        Matcher m = Pattern.compile("steps\\.plan\\.outputs\\.([\\w-]+)").matcher(steps);
        String plan = script.substring(script.indexOf("\n  plan)\n"), script.indexOf("\n  install)\n"));
        while (m.find()) {
            assertTrue(plan.contains("output " + m.group(1) + " "), "plan writes " + m.group(1));
        }
    }

    @Test
    void theCachesAreTheDistributionKeyedOnItsSourcesAndTheMavenRepositoryKeyedOnThePoms() throws Exception {
        String steps = action().get("runs").get("steps").toString();
        assertTrue(steps.contains("\"path\":\"${{ steps.plan.outputs.dist-dir }}\",\"key\":\"${{ steps.plan.outputs.dist-key }}\""),
                steps);
        assertTrue(steps.contains("\"path\":\"~/.m2/repository\",\"key\":\"${{ steps.plan.outputs.m2-key }}\""), steps);
    }
}
