package dev.gatekeeper.jenkins;

import dev.gatekeeper.drift.DriftReport;
import dev.gatekeeper.drift.DriftReportFormat;
import dev.gatekeeper.drift.DriftScan;
import dev.gatekeeper.drift.DriftScanSettings;
import dev.gatekeeper.drift.DriftScanSettings.Key;
import dev.gatekeeper.outcome.Outcome;
import dev.gatekeeper.outcome.OutcomeJson;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs core's {@link DriftScan} on the agent: the step's values become {@link DriftScanSettings} there (relative
 * paths against the workspace); writes the outcome's JSON into the workspace.
 */
final class DriftScanCallable extends CoreCallable<DriftReport> {
    private static final long serialVersionUID = 1L;

    /** The step's settings, as given (paths relative to the workspace). */
    record Settings(String config, ArrayList<Checkout> checkouts, ArrayList<BareRepository> bares,
            ArrayList<GitHubRepository> githubRepos, String githubApiUrl, String shard, Integer parallel, boolean heal,
            boolean incremental, String stateFile, String reportFile) implements Serializable {}

    private final Settings s;
    private final String githubToken;
    private final String alertWebhook;

    DriftScanCallable(Settings s, Map<String, String> env, GatekeeperLog log, String githubToken,
            String alertWebhook) {
        super("drift scan", env, log);
        this.s = s;
        this.githubToken = githubToken;
        this.alertWebhook = alertWebhook;
    }

    @Override
    Outcome<DriftReport> run(Path ws, Map<String, String> e) throws Exception {
        Outcome<DriftReport> o = DriftScan.of(settings(ws, e), e).outcome();
        Path out = ws.resolve(s.reportFile());
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, OutcomeJson.write("drift-scan", o) + "\n", StandardCharsets.UTF_8);
        String table = DriftReportFormat.TABLE.render(o.report(), o.warnings()).stripTrailing();
        if (!table.isEmpty()) {
            log.println(table);
        }
        log.println("drift scan report: " + s.reportFile());
        return new Outcome<>(o.verdict(), o.summary(), o.report(), java.util.List.of()); // warnings: in the table
    }

    /** The step's settings as core takes them, in the workspace {@code ws} with the build's variables {@code e}. */
    @Override
    DriftScanSettings settings(Path ws, Map<String, String> e) throws Exception {
        DriftScanSettings.Builder b = DriftScanSettings.builder(ws);
        if (s.githubApiUrl() != null) {
            b.set(Key.GITHUB_API_URL, s.githubApiUrl());
        }
        if (s.config() != null) {
            b.config(Path.of(s.config()), e);
        }
        s.checkouts().forEach(c -> b.target(c.target(ws)));
        s.bares().forEach(r -> b.target(r.target(ws)));
        s.githubRepos().forEach(g -> b.target(g.target()));
        if (githubToken != null) {
            b.githubToken(githubToken);
        } else if (s.config() == null) {
            b.githubToken(e.get("GITHUB_TOKEN"));
        }
        if (s.shard() != null) {
            b.set(Key.SHARD, s.shard());
        }
        if (s.parallel() != null) {
            b.set(Key.PARALLEL, s.parallel().toString());
        }
        if (s.stateFile() != null) {
            b.set(Key.STATE_FILE, s.stateFile());
        }
        b.set(Key.HEAL, Boolean.toString(s.heal())).set(Key.INCREMENTAL, Boolean.toString(s.incremental()))
                .alertWebhook(alertWebhook);
        return b.build();
    }

    @Override
    void render(Outcome<DriftReport> o, LinkedHashMap<String, Object> m) {
        DriftReport report = o.report();
        m.put("driftCount", report == null ? 0 : report.findings());
        m.put("targets", report == null ? 0 : report.targets().size());
        m.put("errors", report == null ? 0 : report.errors());
        StepResult.put(m, "reportFile", report == null ? null : s.reportFile());
    }
}
