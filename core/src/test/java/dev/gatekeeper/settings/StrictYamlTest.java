package dev.gatekeeper.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.settings.YamlNode.Mapping;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrictYamlTest {
    @TempDir Path tmp;

    /** Reads {@code text} as a flat mapping of {@code known} keys and throws every problem. */
    private static void readFlat(String text, Set<String> known) throws SettingsException {
        StrictYaml y = new StrictYaml("s.yaml");
        Mapping m = y.mapping(y.parse(new StringReader(text), "a mapping"), null, "a mapping");
        if (m != null) {
            y.keys(m, known);
            for (String k : known) {
                y.duration(m, k);
            }
        }
        y.check();
    }

    @Test
    void aDuplicateKeyIsAnErrorAndTheFirstValueDoesNotSilentlyLose() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> readFlat("wait: 60s\nwait: 0s\n", Set.of("wait")));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertEquals(List.of(new Problem("s.yaml", 2, 1, "wait", "duplicate key", "each key once")), e.problems());
    }

    @Test
    void everyProblemIsReportedAtOnceInFileOrder() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> readFlat("wiat: 1s\nwait: soon\nwait: 2s\ngrace: 5m\n", Set.of("wait", "grace")));
        assertEquals(List.of("s.yaml:1:1: 'wiat': unknown key (allowed: grace, wait)",
                "s.yaml:2:7: 'wait': invalid value 'soon' (allowed: a duration such as 500ms, 30s, 15m, 1h or 1d)",
                "s.yaml:3:1: 'wait': duplicate key (allowed: each key once)"),
                e.problems().stream().map(Problem::toString).toList());
    }

    /**
     * Over many seeded files: a mapping of known keys with unknown keys and repeated keys mixed in at random places;
     * the reader names exactly the unknown and the repeated ones, at their lines, and nothing else.
     */
    @Test
    void unknownAndDuplicateKeysAreFoundWhereverTheyAre() throws Exception {
        List<String> known = List.of("alpha", "beta", "gamma", "delta", "epsilon", "zeta");
        for (long seed = 1; seed <= 300; seed++) {
            Random r = new Random(seed);
            List<String> lines = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            List<String> used = new ArrayList<>();
            int n = 1 + r.nextInt(12);
            for (int i = 0; i < n; i++) {
                int line = lines.size() + 1;
                int pick = r.nextInt(10);
                String key;
                if (pick < 2) {
                    key = "unknown" + i;
                    expected.add(line + ":1 " + key + " unknown key");
                } else if (pick < 4 && !used.isEmpty()) {
                    key = used.get(r.nextInt(used.size()));
                    expected.add(line + ":1 " + key + " duplicate key");
                } else {
                    key = known.get(r.nextInt(known.size()));
                    if (used.contains(key)) {
                        expected.add(line + ":1 " + key + " duplicate key");
                    }
                }
                used.add(key);
                lines.add(key + ": " + (1 + r.nextInt(59)) + "s");
            }
            String text = String.join("\n", lines) + "\n";
            List<String> found;
            try {
                readFlat(text, Set.copyOf(known));
                found = List.of();
            } catch (SettingsException e) {
                found = e.problems().stream().map(p -> p.line() + ":" + p.column() + " " + p.key() + " "
                        + p.message()).toList();
            }
            assertEquals(expected, found, "seed " + seed + ":\n" + text);
        }
    }

    @Test
    void malformedYamlEmptyFilesAndHugeFilesAreRefusedWithAPlace() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), "a: [1, 2\n");
        Problem p = assertThrows(SettingsException.class, () -> StrictYaml.read(bad, "a mapping")).problems().get(0);
        assertTrue(p.message().startsWith("not valid YAML"), p.message());
        Path empty = Files.writeString(tmp.resolve("empty.yaml"), "# nothing yet\n");
        Problem e = assertThrows(SettingsException.class, () -> StrictYaml.read(empty, "a mapping")).problems().get(0);
        assertEquals(empty + ":1:1: the file is empty (allowed: a mapping)", e.toString());
        Path huge = Files.writeString(tmp.resolve("huge.yaml"), "a: '" + "x".repeat(StrictYaml.MAX_BYTES) + "'\n");
        Problem h = assertThrows(SettingsException.class, () -> StrictYaml.read(huge, "a mapping")).problems().get(0);
        assertTrue(h.message().contains("refused before parsing"), h.message());
        Problem dir = assertThrows(SettingsException.class, () -> StrictYaml.read(tmp, "a mapping")).problems().get(0);
        assertEquals("not a regular file", dir.message());
    }

    @Test
    void aProblemOutsideAFileNamesTheSettingAsTheAdapterDoes() {
        Problem p = Problem.of("maxRevertsPerDay", "must be at least 1", "a whole number from 1 to 100");
        assertEquals("--max-reverts-per-day: must be at least 1 (allowed: a whole number from 1 to 100)",
                p.render(KeyStyle.CLI));
        assertEquals("maxRevertsPerDay: must be at least 1 (allowed: a whole number from 1 to 100)",
                p.render(KeyStyle.JENKINS));
        Problem inFile = new Problem("s.yaml", 3, 1, "maxRevertsPerDay", "invalid value '0'", null);
        assertEquals("s.yaml:3:1: 'maxRevertsPerDay': invalid value '0'", inFile.render(KeyStyle.CLI),
                "a file's problem keeps the file's key, whatever the adapter");
    }
}
