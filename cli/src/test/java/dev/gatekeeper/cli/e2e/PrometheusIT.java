package dev.gatekeeper.cli.e2e;

import static dev.gatekeeper.cli.e2e.Pushes.assertRefusedByGate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gatekeeper.metrics.PrometheusTextfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics the jobs write ({@code --metrics-file}) and the alerting rules the distribution ships, checked with
 * Prometheus' own {@code promtool}: the files lint clean ({@code check metrics}), the counters count real gate
 * decisions once each across runs, and the rules pass their unit tests ({@code test rules}) over metric names
 * the writer really emits.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PrometheusIT {
    private static final Pattern METRIC_NAME = Pattern.compile("\\bgatekeeper_[a-z_]+\\b");

    @TempDir Path root;

    @Test
    void theShippedRulesPassTheirPromtoolTestsAndUseOnlyMetricsGatekeeperWrites() throws IOException {
        Path promtool = Tools.require("promtool", "prometheus");
        Path dir = Dist.home().resolve("prometheus");
        Map<String, String> env = Env.isolated(root);
        Proc.Result check = Proc.run(dir, env, null, Proc.DEFAULT_TIMEOUT,
                List.of(promtool.toString(), "check", "rules", "gatekeeper-rules.yml")).expectOk();
        long alerts = Files.readAllLines(dir.resolve("gatekeeper-rules.yml")).stream()
                .filter(l -> l.strip().startsWith("- alert:")).count();
        assertTrue(alerts >= 8, "stale and missing drift scan, failing job, drill, revert, break-glass, hooks: " + alerts);
        assertTrue(check.output().contains("SUCCESS: " + alerts + " rules found"), check.describe());
        Proc.Result test = Proc.run(dir, env, null, Proc.DEFAULT_TIMEOUT,
                List.of(promtool.toString(), "test", "rules", "gatekeeper-rules.test.yml")).expectOk();
        assertTrue(test.output().contains("SUCCESS"), test.describe());

        Set<String> used = new TreeSet<>();
        Matcher m = METRIC_NAME.matcher(Files.readString(dir.resolve("gatekeeper-rules.yml")));
        while (m.find()) {
            used.add(m.group());
        }
        assertTrue(used.size() >= 6, "the rules should use the job, drift, revert, break-glass and hooks metrics: "
                + used);
        used.removeAll(PrometheusTextfile.FAMILIES.keySet());
        assertEquals(Set.of(), used, "the rules name metrics no Gatekeeper job writes");
    }

    @Test
    void driftScanMetricsCountRefusalsAndBreakGlassOnceAcrossRunsAndLintClean() throws IOException {
        Path promtool = Tools.require("promtool", "prometheus");
        Map<String, String> env = Env.isolated(root);
        Git git = new Git(env);
        Dist dist = new Dist(env);
        GitServer server = GitServer.create(git, root.resolve("srv"), "app");
        dist.install(Policies.standard(root.resolve("policies")), server.gitDir(), false);
        Path breakGlassSecret = server.writeSecret("break-glass.secret");
        Path work = git.cloneInto(server.fileUrl(), root.resolve("work"));
        Path metrics = root.resolve("textfile/gatekeeper-drift-scan.prom");

        git.commit(work, "a.txt", "a\n", "a direct change");
        assertRefusedByGate(git.push(work, List.of(), server.fileUrl(), "HEAD:main"), "refs/heads/main",
                "refs/heads/main");
        Dist.BreakGlassToken bg = dist.breakGlass(root, "app", "INC-1: the pipeline is down", breakGlassSecret);
        git.push(work, List.of("gatekeeper-break-glass=" + bg.token()), server.fileUrl(), "HEAD:main").expectOk();

        scan(dist, server, metrics).expectOk();
        String text = Files.readString(metrics, StandardCharsets.UTF_8);
        lint(promtool, env, text);
        assertEquals("1", value(text, "gatekeeper_push_refusals_total{job_name=\"drift-scan\"}"), text);
        assertEquals("1", value(text, "gatekeeper_break_glass_uses_total{job_name=\"drift-scan\"}"), text);
        assertEquals("0", value(text, "gatekeeper_hooks_tampered{job_name=\"drift-scan\"}"), text);
        assertEquals("0", value(text, "gatekeeper_job_last_exit_code{job_name=\"drift-scan\"}"), text);
        assertEquals("1", value(text, "gatekeeper_job_runs_total{job_name=\"drift-scan\"}"), text);
        // the refusal then break-glass is the last incident, measured from the refusal to the break-glass push
        String recover = value(text, "gatekeeper_last_incident_recover_seconds{job_name=\"drift-scan\","
                + "kind=\"break-glass\"}");
        assertTrue(Double.parseDouble(recover) > 0 && Double.parseDouble(recover) < 120, text);

        // one more refusal: counted once, however often the scan runs
        git.commit(work, "b.txt", "b\n", "another direct change");
        assertRefusedByGate(git.push(work, List.of(), server.fileUrl(), "HEAD:main"), "refs/heads/main",
                "refs/heads/main");
        scan(dist, server, metrics).expectOk();
        scan(dist, server, metrics).expectOk();
        text = Files.readString(metrics, StandardCharsets.UTF_8);
        assertEquals("2", value(text, "gatekeeper_push_refusals_total{job_name=\"drift-scan\"}"), text);
        assertEquals("1", value(text, "gatekeeper_break_glass_uses_total{job_name=\"drift-scan\"}"), text);
        assertEquals("3", value(text, "gatekeeper_job_runs_total{job_name=\"drift-scan\"}"), text);

        // someone edits the hook: the scan says so (exit 3), and so do the metrics
        Path hook = server.gitDir().resolve("hooks/pre-receive");
        Files.writeString(hook, Files.readString(hook) + "\n# edited by hand\n", StandardCharsets.UTF_8);
        scan(dist, server, metrics).expectExit(3);
        text = Files.readString(metrics, StandardCharsets.UTF_8);
        lint(promtool, env, text);
        assertEquals("1", value(text, "gatekeeper_hooks_tampered{job_name=\"drift-scan\"}"), text);
        assertEquals("1", value(text, "gatekeeper_drift_findings{job_name=\"drift-scan\",kind=\"hooks\"}"), text);
        assertEquals("3", value(text, "gatekeeper_job_last_exit_code{job_name=\"drift-scan\"}"), text);
        assertEquals("0", value(text, "gatekeeper_job_consecutive_failures{job_name=\"drift-scan\"}"), text);
        List<Path> leftovers;
        try (var s = Files.list(metrics.getParent())) {
            leftovers = s.filter(p -> !p.equals(metrics)).toList();
        }
        assertEquals(List.of(), leftovers, "the atomic write leaves no temporary file behind");
    }

    @Test
    void stabilizeAndVerifyPushWriteTheirOwnFilesThatLintClean() throws IOException {
        Path promtool = Tools.require("promtool", "prometheus");
        Map<String, String> env = Env.isolated(root);
        Git git = new Git(env);
        Dist dist = new Dist(env);
        GitServer server = GitServer.create(git, root.resolve("srv"), "app");
        Path work = git.cloneInto(server.fileUrl(), root.resolve("work"));
        Path stabilize = root.resolve("textfile/gatekeeper-stabilize-app.prom");
        dist.run(root, "stabilize", "-C", work.toString(), "--probe", "cmd:true", "--wait", "0s", "--samples", "1",
                "--job", "stabilize-app", "--metrics-file", stabilize.toString()).expectOk();
        String text = Files.readString(stabilize, StandardCharsets.UTF_8);
        lint(promtool, env, text);
        assertEquals("0", value(text, "gatekeeper_job_last_exit_code{job_name=\"stabilize-app\"}"), text);
        assertEquals("0", value(text, "gatekeeper_reverts_pushed_total{job_name=\"stabilize-app\"}"), text);

        Path verify = root.resolve("textfile/gatekeeper-verify-push.prom");
        dist.run(work, "verify-push", "--timeout", "1s", "--metrics-file", verify.toString(), "--", "true")
                .expectExit(3);
        text = Files.readString(verify, StandardCharsets.UTF_8);
        lint(promtool, env, text);
        assertEquals("3", value(text, "gatekeeper_job_last_exit_code{job_name=\"verify-push\"}"), text);
    }

    private Proc.Result scan(Dist dist, GitServer server, Path metrics) {
        return dist.run(root, "drift", "scan", "--bare", server.gitDir().toString(), "--state",
                root.resolve("state/drift.json").toString(), "--heartbeat-dir", root.resolve("state/hb").toString(),
                "--metrics-file", metrics.toString());
    }

    private static void lint(Path promtool, Map<String, String> env, String text) {
        Proc.Result r = Proc.run(Path.of("."), env, text.getBytes(StandardCharsets.UTF_8), Proc.DEFAULT_TIMEOUT,
                List.of(promtool.toString(), "check", "metrics"));
        if (r.exitCode() != 0 || !r.output().isBlank()) {
            fail("promtool check metrics should accept the file silently\n" + r.describe() + "\n" + text);
        }
    }

    /** The value of the one sample {@code series} (name with labels exactly as written). */
    private static String value(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return line.substring(series.length() + 1).strip();
            }
        }
        fail("no sample " + series);
        return null;
    }
}
