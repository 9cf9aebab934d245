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
import org.junit.jupiter.api.Test;

/**
 * The Snippet Generator documents a step from {@code help.html} and one {@code help-<param>.html} per parameter,
 * found next to the class as resources; a missing file is silently an undocumented parameter, so this test makes
 * it a failure, for the steps and for the entries of their lists. (The forms: {@link FormsTest}.)
 */
class HelpFilesTest {
    private static String resource(Class<?> c, String name) throws IOException {
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + "/" + name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyStepAndEveryParameterHasItsHelpFile() throws Exception {
        List<String> missing = new ArrayList<>();
        int files = 0;
        for (Class<?> c : StepClasses.DATA_BOUND) {
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
        assertEquals(4 + (16 + 30 + 16 + 6) + 5 + (7 + 2 + 3 + 1 + 2), files,
                "4 steps and their 68 parameters, 5 list entry types and their 15 parameters");
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
