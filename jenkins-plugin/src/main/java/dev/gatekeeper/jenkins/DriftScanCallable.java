package dev.gatekeeper.jenkins;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.drift.DriftConfig;
import dev.gatekeeper.drift.DriftReportFormat;
import dev.gatekeeper.drift.DriftScan;
import dev.gatekeeper.drift.Target;
import dev.gatekeeper.drift.TargetSpecs;
import dev.gatekeeper.notify.WebhookNotifier;
import dev.gatekeeper.policy.PolicyException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs core's {@link DriftScan} on the agent and writes its JSON report into the workspace. */
final class DriftScanCallable extends CoreCallable {
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
        super(env, log);
        this.s = s;
        this.githubToken = githubToken;
        this.alertWebhook = alertWebhook;
    }

    @Override
    LinkedHashMap<String, Object> run(Path ws, Map<String, String> e) throws GatekeeperException, IOException {
        DriftScan.Report report = scan(ws, e).call();
        Path out = ws.resolve(s.reportFile());
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, DriftReportFormat.JSON.render(report), StandardCharsets.UTF_8);
        String table = DriftReportFormat.TABLE.render(report).stripTrailing();
        if (!table.isEmpty()) {
            log.println(table);
        }
        LinkedHashMap<String, Object> m = result(report);
        log.println("drift scan: " + m.get(StepResult.REASON) + "; report: " + s.reportFile());
        return m;
    }

    private DriftScan scan(Path ws, Map<String, String> e) throws GatekeeperException {
        List<Target> targets = new ArrayList<>();
        String apiUrl = s.githubApiUrl();
        String token = githubToken;
        if (s.config() != null) {
            try {
                DriftConfig c = DriftConfig.load(ws.resolve(s.config()));
                targets.addAll(c.targets());
                apiUrl = apiUrl != null ? apiUrl : c.githubApiUrl();
                if (token == null && c.githubTokenEnv() != null) {
                    token = e.get(c.githubTokenEnv());
                }
            } catch (PolicyException ex) {
                throw new GatekeeperException(ExitCode.USAGE, "invalid drift config: "
                        + StepResult.oneLine(ex.getMessage()));
            }
        }
        s.checkouts().forEach(c -> targets.add(c.target(ws)));
        s.bares().forEach(b -> targets.add(b.target(ws)));
        s.githubRepos().forEach(g -> targets.add(g.target()));
        if (token == null) {
            token = e.get("GITHUB_TOKEN");
        }
        DriftScan scan = new DriftScan().setTargets(targets).setHeal(s.heal()).setIncremental(s.incremental())
                .setEnv(e).setGitHub(apiUrl, token).setStateFile(s.stateFile() != null
                        ? ws.resolve(s.stateFile()) : TargetSpecs.defaultStateFile(e));
        if (s.parallel() != null) {
            scan.setParallel(s.parallel());
        }
        if (s.shard() != null) {
            int[] in = TargetSpecs.shard(s.shard());
            scan.setShard(in[0], in[1]);
        }
        if (alertWebhook != null) {
            scan.setNotifier(new WebhookNotifier(alertWebhook, Duration.ofSeconds(5)));
        }
        return scan;
    }

    private LinkedHashMap<String, Object> result(DriftScan.Report report) {
        LinkedHashMap<String, Object> m = StepResult.of(report.verdict(), report.exitCode().code(), report.summary());
        m.put("driftCount", report.findingCount());
        m.put("targets", report.results().size());
        m.put("errors", report.errorCount());
        StepResult.put(m, "reportFile", s.reportFile());
        return m;
    }
}
