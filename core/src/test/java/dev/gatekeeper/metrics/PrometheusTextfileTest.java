package dev.gatekeeper.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.watch.JobRecord;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextfileTest {
    @Test
    void everySampleHasItsFamilysHelpAndTypeAndConventionalName() {
        Instant t = Instant.parse("2025-06-01T12:00:00.250Z");
        JobRecord r = new JobRecord("drift-scan", t, null, t.plusMillis(1500), 3, 1500L, t.plusMillis(1500), 0, 4, 1,
                "drift found", Map.of("hooks", 1L, "dirty", 0L), Map.of("push_refusals", 7L),
                new JobRecord.LastIncident("break-glass", "recovered", t, 0.0, 42.5), Map.of());
        String text = PrometheusTextfile.render(r);
        String family = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                family = line.split(" ")[2];
                assertTrue(PrometheusTextfile.FAMILIES.containsKey(family), family);
                assertTrue(family.startsWith("gatekeeper_"), family);
            } else if (line.startsWith("# TYPE ")) {
                String[] p = line.split(" ");
                assertEquals(family, p[2]);
                assertEquals(p[3].equals("counter"), family.endsWith("_total"), "counters and only they end _total");
            } else {
                assertTrue(line.startsWith(family + "{job_name=\"drift-scan\""), line);
            }
        }
        assertTrue(text.contains("gatekeeper_job_last_run_timestamp_seconds{job_name=\"drift-scan\"} 1748779201.75\n"),
                text);
        assertTrue(text.contains("gatekeeper_job_last_duration_seconds{job_name=\"drift-scan\"} 1.5\n"), text);
        assertTrue(text.contains("gatekeeper_hooks_tampered{job_name=\"drift-scan\"} 1\n"), text);
        assertTrue(text.contains("gatekeeper_push_refusals_total{job_name=\"drift-scan\"} 7\n"), text);
        assertTrue(text.contains("gatekeeper_last_incident_recover_seconds{job_name=\"drift-scan\",kind=\"break-glass\"}"
                + " 42.5\n"), text);
    }

    @Test
    void labelValuesAreEscaped() {
        assertEquals("a\\\\b\\\"c\\nd", PrometheusTextfile.escape("a\\b\"c\nd"));
    }
}
