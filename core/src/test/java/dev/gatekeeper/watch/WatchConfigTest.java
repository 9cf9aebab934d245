package dev.gatekeeper.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.settings.SettingsException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchConfigTest {
    @TempDir Path tmp;

    @Test
    void theShippedExampleLoads() throws Exception {
        Path example = Path.of("..", "cli", "src", "dist", "systemd", "watch.example.yaml");
        WatchConfig c = WatchConfig.load(example);
        assertEquals(4, c.jobs().size());
        assertEquals(new WatchConfig.Job("drift-scan", Duration.ofHours(1), Duration.ofMinutes(20), 2),
                c.jobs().get(0));
        assertEquals(Path.of("/var/lib/gatekeeper/heartbeats"), c.heartbeatDir());
        assertEquals("webhook:GATEKEEPER_WATCH_WEBHOOK", c.notifyTargets().get(0).toString());
    }

    @Test
    void everyMistakeIsReportedWithItsLineAndColumn() throws Exception {
        Path f = tmp.resolve("watch.yaml");
        Files.writeString(f, String.join("\n",
                "version: 1",
                "notify: [pager:X]",
                "jobs:",
                "  - name: drift-scan",
                "    perod: 1h",
                "  - name: drill",
                "    period: weekly",
                "  - name: ../x",
                "    period: 1h",
                "  - name: drift-scan",
                "    period: 1h",
                "    failAfter: 0",
                ""), StandardCharsets.UTF_8);
        SettingsException e = assertThrows(SettingsException.class, () -> WatchConfig.load(f));
        String m = e.getMessage();
        assertTrue(m.contains("watch.yaml:2:10: 'notify':"), m);
        assertTrue(m.contains("watch.yaml:5:5: 'perod': unknown key"), m);
        assertTrue(m.contains("'period': missing"), m);
        assertTrue(m.contains("watch.yaml:7:13: 'period': invalid value 'weekly'"), m);
        assertTrue(m.contains("watch.yaml:8:11: 'name': job name '../x'"), m);
        assertTrue(m.contains("watch.yaml:12:16: 'failAfter': invalid value '0'"), m);
    }

    @Test
    void relativePathsResolveAgainstTheConfigsFolder() throws Exception {
        Path f = tmp.resolve("etc/watch.yaml");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "version: 1\nheartbeatDir: ../state/hb\njobs: [{name: a, period: 5m}]\n",
                StandardCharsets.UTF_8);
        WatchConfig c = WatchConfig.load(f);
        assertEquals(tmp.resolve("state/hb"), c.heartbeatDir());
        assertEquals(Duration.ZERO, c.jobs().get(0).grace());
    }
}
