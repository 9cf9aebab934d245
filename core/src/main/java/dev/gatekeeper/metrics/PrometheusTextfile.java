package dev.gatekeeper.metrics;

import dev.gatekeeper.io.AtomicFile;
import dev.gatekeeper.watch.JobRecord;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job's metrics in the Prometheus text format, for node_exporter's textfile collector: one file per job
 * ({@code --metrics-file /var/lib/node_exporter/textfile/gatekeeper-drift-scan.prom}), written atomically (a
 * temporary file in the same folder, renamed), every series labelled {@code job_name} (not {@code job}: that is
 * the scrape job's label). Names follow Prometheus' conventions: a {@code gatekeeper_} prefix, base units
 * ({@code _seconds}, {@code _timestamp_seconds}), {@code _total} for counters, HELP and TYPE for every family.
 * {@code promtool check metrics} checks them in the build.
 */
public final class PrometheusTextfile {
    /** Every family this writer can emit, name to type; the shipped alerting rules use only these. */
    public static final Map<String, String> FAMILIES = families();

    private PrometheusTextfile() {}

    private static Map<String, String> families() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("gatekeeper_job_last_run_timestamp_seconds", "gauge");
        f.put("gatekeeper_job_last_success_timestamp_seconds", "gauge");
        f.put("gatekeeper_job_last_duration_seconds", "gauge");
        f.put("gatekeeper_job_last_exit_code", "gauge");
        f.put("gatekeeper_job_running", "gauge");
        f.put("gatekeeper_job_consecutive_failures", "gauge");
        f.put("gatekeeper_job_runs_total", "counter");
        f.put("gatekeeper_job_failed_runs_total", "counter");
        f.put("gatekeeper_drift_findings", "gauge");
        f.put("gatekeeper_hooks_tampered", "gauge");
        f.put("gatekeeper_hooks_bypassed", "gauge");
        f.put("gatekeeper_reverts_pushed_total", "counter");
        f.put("gatekeeper_revert_failures_total", "counter");
        f.put("gatekeeper_push_refusals_total", "counter");
        f.put("gatekeeper_break_glass_uses_total", "counter");
        f.put("gatekeeper_drift_alerts_total", "counter");
        f.put("gatekeeper_last_incident_start_timestamp_seconds", "gauge");
        f.put("gatekeeper_last_incident_detect_seconds", "gauge");
        f.put("gatekeeper_last_incident_recover_seconds", "gauge");
        return f;
    }

    private static final Map<String, String> HELP = Map.ofEntries(
            Map.entry("gatekeeper_job_last_run_timestamp_seconds", "When the job's last run ended, in Unix time."),
            Map.entry("gatekeeper_job_last_success_timestamp_seconds",
                    "When the job's last run that worked (exit 0, 3 or 5) ended, in Unix time."),
            Map.entry("gatekeeper_job_last_duration_seconds", "How long the job's last run took."),
            Map.entry("gatekeeper_job_last_exit_code", "The exit code of the job's last run (see gatekeeper --help)."),
            Map.entry("gatekeeper_job_running", "1 while a run of the job has started and not ended."),
            Map.entry("gatekeeper_job_consecutive_failures",
                    "Runs in a row that did not work (exit 1, 2, 4 or 6); 0 after one that did."),
            Map.entry("gatekeeper_job_runs_total", "Runs of the job recorded."),
            Map.entry("gatekeeper_job_failed_runs_total", "Runs of the job that did not work (exit 1, 2, 4 or 6)."),
            Map.entry("gatekeeper_drift_findings", "Findings of the last drift scan, by kind."),
            Map.entry("gatekeeper_hooks_tampered",
                    "Repositories whose Gatekeeper hooks the last scan found missing or modified."),
            Map.entry("gatekeeper_hooks_bypassed",
                    "Protected ref tips the last scan found that no gate decision wrote: git did not run the hook."),
            Map.entry("gatekeeper_reverts_pushed_total", "Automatic reverts pushed (revert.pushed events)."),
            Map.entry("gatekeeper_revert_failures_total",
                    "Stabilize runs that could not revert or recover (revert failed or conflicted, deploy failed, "
                            + "still failing)."),
            Map.entry("gatekeeper_push_refusals_total", "Pushes the gate refused (push.refused events)."),
            Map.entry("gatekeeper_break_glass_uses_total", "Pushes let in with a break-glass token."),
            Map.entry("gatekeeper_drift_alerts_total", "Drift alerts sent (new, reminder, resolved)."),
            Map.entry("gatekeeper_last_incident_start_timestamp_seconds",
                    "When the last incident in the job's event logs began, in Unix time."),
            Map.entry("gatekeeper_last_incident_detect_seconds",
                    "The last incident's time to detect: from its start to its detection."),
            Map.entry("gatekeeper_last_incident_recover_seconds",
                    "The last incident's time to recover: from its start to its recovery."));

    /** Renders {@code r} (a job that ran at least once). */
    public static String render(JobRecord r) {
        Out o = new Out(r.job());
        o.family("gatekeeper_job_last_run_timestamp_seconds").sample(r.lastEnd());
        if (r.lastSuccess() != null) {
            o.family("gatekeeper_job_last_success_timestamp_seconds").sample(r.lastSuccess());
        }
        if (r.lastDurationMillis() != null) {
            o.family("gatekeeper_job_last_duration_seconds").sample(seconds(r.lastDurationMillis()));
        }
        if (r.lastExit() != null) {
            o.family("gatekeeper_job_last_exit_code").sample(Integer.toString(r.lastExit()));
        }
        o.family("gatekeeper_job_running").sample(r.runningPid() == null ? "0" : "1");
        o.family("gatekeeper_job_consecutive_failures").sample(Integer.toString(r.consecutiveFailures()));
        o.family("gatekeeper_job_runs_total").sample(Long.toString(r.runs()));
        o.family("gatekeeper_job_failed_runs_total").sample(Long.toString(r.failures()));
        if (!r.findings().isEmpty()) {
            o.family("gatekeeper_drift_findings");
            r.findings().forEach((kind, n) -> o.sample(Long.toString(n), "kind", kind));
            o.family("gatekeeper_hooks_tampered").sample(Long.toString(r.findings().getOrDefault("hooks", 0L)));
            o.family("gatekeeper_hooks_bypassed").sample(Long.toString(r.findings().getOrDefault("bypass", 0L)));
        }
        for (Map.Entry<String, Long> t : r.totals().entrySet()) {
            String name = "gatekeeper_" + t.getKey() + "_total";
            if (FAMILIES.containsKey(name)) {
                o.family(name).sample(Long.toString(t.getValue()));
            }
        }
        JobRecord.LastIncident li = r.lastIncident();
        if (li != null) {
            List<String> kind = List.of("kind", li.kind());
            o.family("gatekeeper_last_incident_start_timestamp_seconds").sample(li.start(), kind);
            if (li.detectSeconds() != null) {
                o.family("gatekeeper_last_incident_detect_seconds").sample(number(li.detectSeconds()), kind);
            }
            if (li.recoverSeconds() != null) {
                o.family("gatekeeper_last_incident_recover_seconds").sample(number(li.recoverSeconds()), kind);
            }
        }
        return o.text.toString();
    }

    /** Writes {@link #render} to {@code file} atomically. */
    public static void write(Path file, JobRecord r) throws IOException {
        AtomicFile.write(file, render(r).getBytes(StandardCharsets.UTF_8));
    }

    private static String seconds(long millis) {
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
    }

    private static String number(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    /** Escapes a label value as the text format requires: backslash, double quote, line feed. */
    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static final class Out {
        final StringBuilder text = new StringBuilder();
        final String job;
        String family;

        Out(String job) {
            this.job = job;
        }

        Out family(String name) {
            family = name;
            text.append("# HELP ").append(name).append(' ').append(HELP.get(name)).append('\n');
            text.append("# TYPE ").append(name).append(' ').append(FAMILIES.get(name)).append('\n');
            return this;
        }

        void sample(Instant t) {
            sample(t == null ? "NaN" : seconds(t.toEpochMilli()));
        }

        void sample(Instant t, List<String> labels) {
            sample(seconds(t.toEpochMilli()), labels.toArray(String[]::new));
        }

        void sample(String value, List<String> labels) {
            sample(value, labels.toArray(String[]::new));
        }

        void sample(String value, String... labels) {
            text.append(family).append("{job_name=\"").append(escape(job)).append('"');
            for (int i = 0; i + 1 < labels.length; i += 2) {
                text.append(',').append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
            }
            text.append("} ").append(value).append('\n');
        }
    }
}
