package dev.gatekeeper.jenkins;

import dev.gatekeeper.drift.DriftScanSettings;
import dev.gatekeeper.drift.DriftScanSettings.Key;
import hudson.Extension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code gatekeeperDriftScan}: finds what bypassed the pipeline in deployed checkouts, bare repositories and GitHub
 * branch protection (the CLI's {@code gatekeeper drift scan}), and writes a JSON report into the workspace for
 * {@code archiveArtifacts}. Returns {@code [verdict, exitCode, reason, driftCount, targets, errors, reportFile]}.
 */
public final class DriftScanStep extends Step {
    static final String FUNCTION = "gatekeeperDriftScan";
    static final String DEFAULT_REPORT = "gatekeeper-drift-report.json";

    private String config;
    private List<String> checkouts = List.of();
    private List<String> bares = List.of();
    private List<String> githubRepos = List.of();
    private String githubCredentialsId;
    private String githubApiUrl;
    private String shard;
    private Integer parallel;
    private boolean heal;
    private boolean incremental = true;
    private String stateFile;
    private String alertWebhookCredentialsId;
    private String reportFile = DEFAULT_REPORT;
    private boolean propagate = true;

    /** Nothing is required here: the targets come from {@code config} and/or the target lists. */
    @DataBoundConstructor
    public DriftScanStep() {
    }

    public String getConfig() { return config; }
    public List<String> getCheckouts() { return checkouts; }
    public List<String> getBares() { return bares; }
    public List<String> getGithubRepos() { return githubRepos; }
    public String getGithubCredentialsId() { return githubCredentialsId; }
    public String getGithubApiUrl() { return githubApiUrl; }
    public String getShard() { return shard; }
    public Integer getParallel() { return parallel; }
    public boolean isHeal() { return heal; }
    public boolean isIncremental() { return incremental; }
    public String getStateFile() { return stateFile; }
    public String getAlertWebhookCredentialsId() { return alertWebhookCredentialsId; }
    public String getReportFile() { return reportFile; }
    public boolean isPropagate() { return propagate; }

    @DataBoundSetter public void setConfig(String v) { this.config = StepArgs.text(v); }
    @DataBoundSetter public void setCheckouts(List<String> v) { this.checkouts = check(Key.CHECKOUTS, v); }
    @DataBoundSetter public void setBares(List<String> v) { this.bares = check(Key.BARES, v); }
    @DataBoundSetter public void setGithubRepos(List<String> v) { this.githubRepos = check(Key.GITHUB_REPOS, v); }
    @DataBoundSetter public void setGithubCredentialsId(String v) {
        this.githubCredentialsId = StepArgs.text(v);
    }
    @DataBoundSetter public void setGithubApiUrl(String v) {
        this.githubApiUrl = DriftScanSettings.check(Key.GITHUB_API_URL, v);
    }
    @DataBoundSetter public void setShard(String v) { this.shard = DriftScanSettings.check(Key.SHARD, v); }
    @DataBoundSetter public void setParallel(Integer v) {
        if (v != null) {
            DriftScanSettings.check(Key.PARALLEL, v.toString());
        }
        this.parallel = v;
    }
    @DataBoundSetter public void setHeal(boolean v) { this.heal = v; }
    @DataBoundSetter public void setIncremental(boolean v) { this.incremental = v; }
    @DataBoundSetter public void setStateFile(String v) { this.stateFile = StepArgs.text(v); }
    @DataBoundSetter public void setAlertWebhookCredentialsId(String v) {
        this.alertWebhookCredentialsId = StepArgs.text(v);
    }
    @DataBoundSetter public void setReportFile(String v) {
        String r = StepArgs.text(v);
        this.reportFile = r == null ? DEFAULT_REPORT : r;
    }
    @DataBoundSetter public void setPropagate(boolean v) { this.propagate = v; }

    /** Each entry checked as core takes {@code key}, now: a bad one fails the step as it is configured. */
    private static List<String> check(Key key, List<String> given) {
        List<String> entries = StepArgs.entries(given);
        entries.forEach(e -> DriftScanSettings.check(key, e));
        return entries;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    static final class Execution extends CoreStepExecution {
        private static final long serialVersionUID = 1L;
        private final transient DriftScanStep step;

        Execution(DriftScanStep step, StepContext context) {
            super(FUNCTION, context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            String githubToken = secret("githubCredentialsId", step.githubCredentialsId);
            String webhook = secret("alertWebhookCredentialsId", step.alertWebhookCredentialsId);
            DriftScanCallable.Settings s = new DriftScanCallable.Settings(step.config,
                    new ArrayList<>(step.checkouts), new ArrayList<>(step.bares), new ArrayList<>(step.githubRepos),
                    step.githubApiUrl, step.shard, step.parallel, step.heal, step.incremental, step.stateFile,
                    step.reportFile);
            return runInWorkspace(new DriftScanCallable(s, env(), log(githubToken, webhook), githubToken, webhook),
                    step.propagate);
        }
    }

    @Extension
    public static final class DescriptorImpl extends GatekeeperStepDescriptor {
        @Override
        public String getFunctionName() {
            return FUNCTION;
        }

        @Override
        public String getDisplayName() {
            return "Gatekeeper: scan for drift that bypassed the pipeline";
        }
    }
}
