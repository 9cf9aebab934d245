package dev.gatekeeper.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.junit.jupiter.api.Test;

/**
 * The Snippet Generator documents a step from {@code help.html} and one {@code help-<param>.html} per parameter,
 * found next to the class as resources; a missing file is silently an undocumented parameter, so this test makes
 * it a failure. The form ({@code config.jelly}) must offer every parameter and nothing else.
 */
class HelpFilesTest {
    private static final Pattern FIELD = Pattern.compile("field=\"([^\"]+)\"");

    private static String resource(Class<?> c, String name) throws IOException {
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + "/" + name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyStepAndEveryParameterHasItsHelpFile() throws Exception {
        List<String> missing = new ArrayList<>();
        int files = 0;
        for (Class<? extends Step> c : StepClasses.ALL) {
            for (String name : withHelp(StepClasses.parameters(c))) {
                String html = resource(c, name);
                if (html == null || html.isBlank()) {
                    missing.add(c.getSimpleName() + "/" + name);
                } else {
                    files++;
                    assertTrue(html.strip().startsWith("<div>") && html.strip().endsWith("</div>"),
                            c.getSimpleName() + "/" + name + " is one <div> fragment, as Jenkins inlines it");
                }
            }
        }
        assertEquals(List.of(), missing, "help files missing");
        assertEquals(4 + 12 + 28 + 14 + 6, files, "4 steps, 60 parameters");
    }

    @Test
    void theFormOffersEveryParameterAndNoUnknownField() throws Exception {
        for (Class<? extends Step> c : StepClasses.ALL) {
            String jelly = resource(c, "config.jelly");
            assertNotNull(jelly, c.getSimpleName() + "/config.jelly");
            TreeSet<String> fields = new TreeSet<>();
            Matcher m = FIELD.matcher(jelly);
            while (m.find()) {
                fields.add(m.group(1));
            }
            assertEquals(new TreeSet<>(StepClasses.parameters(c)), fields, c.getSimpleName());
            assertTrue(jelly.startsWith("<?jelly escape-by-default='true'?>"), "escaped output");
        }
    }

    @Test
    void thePluginDescriptionExists() throws Exception {
        try (InputStream in = HelpFilesTest.class.getResourceAsStream("/index.jelly")) {
            assertNotNull(in, "maven-hpi-plugin refuses a plugin without index.jelly");
            assertFalse(new String(in.readAllBytes(), StandardCharsets.UTF_8).isBlank());
        }
    }

    private static List<String> withHelp(List<String> parameters) {
        List<String> names = new ArrayList<>(List.of("help.html"));
        parameters.forEach(p -> names.add("help-" + p + ".html"));
        return names;
    }
}
