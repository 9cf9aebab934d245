package dev.gatekeeper.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a hook run on a fallback java or hook jar tells the pusher, and records once per replacement. */
class RuntimeMovedTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Path repo;

    @BeforeEach
    void setUp() throws Exception {
        repo = Fixtures.bare(tmp.resolve("app.git"));
    }

    private String report(Map<String, String> env) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        RuntimeMoved.report(repo, env, new PrintStream(b, true, StandardCharsets.UTF_8));
        return b.toString(StandardCharsets.UTF_8);
    }

    private List<JsonNode> moved() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        Path log = repo.resolve("gatekeeper/events.jsonl");
        if (Files.exists(log)) {
            for (String l : Files.readAllLines(log)) {
                JsonNode e = JSON.readTree(l);
                if ("hooks.runtime-moved".equals(e.path("type").asText())) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    @Test
    void aMovedJarWarnsEveryPushButIsRecordedOncePerReplacement() throws Exception {
        Map<String, String> env = Map.of(HookScript.ENV_JAR_MOVED, "/opt/versions/A/lib/hook/gatekeeper-hook.jar",
                HookScript.ENV_JAR_USED, "/opt/gatekeeper/lib/hook/gatekeeper-hook.jar");

        String first = report(env);
        String second = report(env);

        String warning = "gatekeeper: warning: the hook jar recorded at install (/opt/versions/A/lib/hook/"
                + "gatekeeper-hook.jar) is gone; judged with /opt/gatekeeper/lib/hook/gatekeeper-hook.jar instead."
                + " An admin should run 'gatekeeper hooks install' again.";
        assertEquals(warning, first.strip());
        assertEquals(warning, second.strip(), "every push warns");
        List<JsonNode> events = moved();
        assertEquals(1, events.size(), events.toString());
        assertEquals("/opt/versions/A/lib/hook/gatekeeper-hook.jar",
                events.get(0).path("details").path("recordedJar").asText());
        assertEquals("/opt/gatekeeper/lib/hook/gatekeeper-hook.jar",
                events.get(0).path("details").path("usedJar").asText());
        assertTrue(events.get(0).path("details").path("recorded").isMissingNode(), "no java moved");

        // another replacement is news again; the java moving too is one line and one event naming both
        report(Map.of(HookScript.ENV_JAR_MOVED, "/opt/versions/A/lib/hook/gatekeeper-hook.jar",
                HookScript.ENV_JAR_USED, "/etc-named/gatekeeper-hook.jar"));
        String both = report(Map.of(HookScript.ENV_JAR_MOVED, "/opt/versions/A/lib/hook/gatekeeper-hook.jar",
                HookScript.ENV_JAR_USED, "/etc-named/gatekeeper-hook.jar", HookScript.ENV_JAVA_MOVED,
                "/usr/lib/jvm/jdk-17.0.1/bin/java", HookScript.ENV_JAVA_USED, "/usr/bin/java"));
        assertEquals(1, both.strip().lines().count(), both);
        assertTrue(both.contains("the java recorded at install (/usr/lib/jvm/jdk-17.0.1/bin/java) is gone; judged on"
                + " /usr/bin/java instead; the hook jar recorded at install"), both);
        events = moved();
        assertEquals(3, events.size(), events.toString());
        assertEquals("/usr/bin/java", events.get(2).path("details").path("used").asText());
        assertEquals("/etc-named/gatekeeper-hook.jar", events.get(2).path("details").path("usedJar").asText());
    }

    @Test
    void nothingMovedSaysNothing() throws Exception {
        assertEquals("", report(Map.of()));
        assertEquals("", report(Map.of(HookScript.ENV_JAR_MOVED, "")));
        assertEquals(List.of(), moved());
    }
}
