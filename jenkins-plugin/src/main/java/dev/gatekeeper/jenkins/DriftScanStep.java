package dev.gatekeeper.jenkins;

import dev.gatekeeper.drift.DriftScanSettings;
import dev.gatekeeper.drift.DriftScanSettings.Key;
import hudson.Extension;
import hudson.util.FormValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.structs.describable.CustomDescribableModel;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code gatekeeperDriftScan}: finds what bypassed the pipeline in deployed checkouts, bare repositories and GitHub
 * branch protection (the CLI's {@code gatekeeper drift scan}), and writes a JSON report into the workspace for
 * {@code archiveArtifacts}. Returns {@code [verdict, exitCode, reason, driftCount, targets, errors, reportFile]}.
 */
public final class DriftScanStep extends Step {
    static final String FUNCTION = "gatekeeperDriftScan";
    static final String DEFAULT_REPORT = "gatekeeper-drift-report.json";

    private String config;
    private List<Checkout> checkouts = List.of();
    private List<BareRepository> bares = List.of();
    private List<GitHubRepository> githubRepos = List.of();
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
    private String pingUrlCredentialsId;
    private String job;

    /** Nothing is required here: the targets come from {@code config} and/or the target lists. */
    @DataBoundConstructor
    public DriftScanStep() {
    }

    public String getConfig() { return config; }
    public List<Checkout> getCheckouts() { return checkouts; }
    public List<BareRepository> getBares() { return bares; }
    public List<GitHubRepository> getGithubRepos() { return githubRepos; }
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
    public String getPingUrlCredentialsId() { return pingUrlCredentialsId; }
    public String getJob() { return job; }

    @DataBoundSetter public void setConfig(String v) { this.config = StepArgs.text(v); }
    /** Pipeline also takes the former strings, {@code DIR[@BRANCH]} (see {@link LegacyListForms}). */
    @DataBoundSetter public void setCheckouts(List<Checkout> v) { this.checkouts = StepArgs.list(v); }
    /** Pipeline also takes the former strings, a folder each. */
    @DataBoundSetter public void setBares(List<BareRepository> v) { this.bares = StepArgs.list(v); }
    /** Pipeline also takes the former strings, {@code OWNER/REPO[@BRANCH]}. */
    @DataBoundSetter public void setGithubRepos(List<GitHubRepository> v) { this.githubRepos = StepArgs.list(v); }
    @DataBoundSetter public void setGithubCredentialsId(String v) {
        this.githubCredentialsId = StepArgs.text(v);
    }
    @DataBoundSetter public void setGithubApiUrl(String v) {
        this.githubApiUrl = DriftScanSettings.check(Key.GITHUB_API_URL, v);
    }
    /** {@code I/N}, checked here so a bad shard fails before anything is scanned. */
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
    /** Secret text credentials holding a ping service's check URL (Healthchecks style); the URL is a secret. */
    @DataBoundSetter public void setPingUrlCredentialsId(String v) {
        this.pingUrlCredentialsId = StepArgs.text(v);
    }
    /** The job's name in the pings (default: the command's); checked here, as the CLI's {@code --job}. */
    @DataBoundSetter public void setJob(String v) { this.job = StepArgs.job(v); }

    /** The step's settings, as they travel to the agent. */
    DriftScanCallable.Settings values() {
        return new DriftScanCallable.Settings(
                config, new ArrayList<>(checkouts), new ArrayList<>(bares), new ArrayList<>(githubRepos),
                githubApiUrl, shard, parallel, heal, incremental, stateFile, reportFile);
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
            String ping = secret("pingUrlCredentialsId", step.pingUrlCredentialsId);
            DriftScanCallable.Settings s = step.values();
            return runInWorkspace(new DriftScanCallable(s, env(), log(githubToken, webhook, ping), githubToken,
                    webhook).pinging(step.job, ping), step.propagate);
        }
    }

    @Extension
    public static final class DescriptorImpl extends GitHubCommandStepDescriptor implements CustomDescribableModel {
        @Override
        public String getFunctionName() {
            return FUNCTION;
        }

        @Override
        public String getDisplayName() {
            return "Gatekeeper: scan for drift that bypassed the pipeline";
        }

        @Override
        public Map<String, Object> customInstantiate(Map<String, Object> arguments) {
            return LegacyListForms.driftTargets(arguments);
        }

        @POST
        public FormValidation doCheckShard(@QueryParameter String value) {
            return FormChecks.check(() -> new DriftScanStep().setShard(value));
        }
    }
}
