package dev.gatekeeper.jenkins;

import hudson.Extension;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.structs.describable.CustomDescribableModel;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code gatekeeperStabilize}: after a deploy, probe the service; if the merge broke it, revert it in git (through
 * the gate, with a pipeline token), redeploy and probe again (the CLI's {@code gatekeeper stabilize}). Returns
 * {@code [verdict, exitCode, reason, summary, commit, ref, revertSha, branchTip]}.
 */
public final class StabilizeStep extends Step {
    static final String FUNCTION = "gatekeeperStabilize";

    private final List<Probe> probes;
    private String config;
    private String branch;
    private String remote;
    private String commit;
    private String wait;
    private Integer samples;
    private String interval;
    private Integer failureLimit;
    private Integer consecutiveErrorLimit;
    private Boolean holdOnErrors;
    private String probeTimeout;
    private String expectStatus;
    private String deploy;
    private String confirmWait;
    private String tokenSecretCredentialsId;
    private String repoName;
    private Integer maxRevertsPerDay;
    private String slackCredentialsId;
    private String discordCredentialsId;
    private String webhookCredentialsId;
    private String auditLog;
    private boolean dryRun;
    private boolean propagate = true;

    /**
     * @param probes what to probe, at least one (Pipeline also takes the former list of strings, {@code
     *     http:[METHOD:]URL}, {@code tcp:HOST:PORT} or {@code cmd:COMMAND}: see {@link LegacyListForms})
     */
    @DataBoundConstructor
    public StabilizeStep(List<Probe> probes) {
        this.probes = StepArgs.list(probes);
    }

    public List<Probe> getProbes() { return probes; }
    public String getConfig() { return config; }
    public String getBranch() { return branch; }
    public String getRemote() { return remote; }
    public String getCommit() { return commit; }
    public String getWait() { return wait; }
    public Integer getSamples() { return samples; }
    public String getInterval() { return interval; }
    public Integer getFailureLimit() { return failureLimit; }
    public Integer getConsecutiveErrorLimit() { return consecutiveErrorLimit; }
    public Boolean getHoldOnErrors() { return holdOnErrors; }
    public String getProbeTimeout() { return probeTimeout; }
    public String getExpectStatus() { return expectStatus; }
    public String getDeploy() { return deploy; }
    public String getConfirmWait() { return confirmWait; }
    public String getTokenSecretCredentialsId() { return tokenSecretCredentialsId; }
    public String getRepoName() { return repoName; }
    public Integer getMaxRevertsPerDay() { return maxRevertsPerDay; }
    public String getSlackCredentialsId() { return slackCredentialsId; }
    public String getDiscordCredentialsId() { return discordCredentialsId; }
    public String getWebhookCredentialsId() { return webhookCredentialsId; }
    public String getAuditLog() { return auditLog; }
    public boolean isDryRun() { return dryRun; }
    public boolean isPropagate() { return propagate; }

    @DataBoundSetter public void setConfig(String v) { this.config = StepArgs.text(v); }
    @DataBoundSetter public void setBranch(String v) { this.branch = StepArgs.text(v); }
    @DataBoundSetter public void setRemote(String v) { this.remote = StepArgs.text(v); }
    @DataBoundSetter public void setCommit(String v) { this.commit = StepArgs.text(v); }
    @DataBoundSetter public void setWait(String v) { this.wait = StepArgs.text(v); }
    @DataBoundSetter public void setSamples(Integer v) { this.samples = v; }
    @DataBoundSetter public void setInterval(String v) { this.interval = StepArgs.text(v); }
    @DataBoundSetter public void setFailureLimit(Integer v) { this.failureLimit = v; }
    @DataBoundSetter public void setConsecutiveErrorLimit(Integer v) { this.consecutiveErrorLimit = v; }
    /** Errors past the limit hold (verdict inconclusive) instead of reverting; unset: the config file's, else no. */
    @DataBoundSetter public void setHoldOnErrors(Boolean v) { this.holdOnErrors = v; }
    @DataBoundSetter public void setProbeTimeout(String v) { this.probeTimeout = StepArgs.text(v); }
    @DataBoundSetter public void setExpectStatus(String v) { this.expectStatus = StepArgs.text(v); }
    @DataBoundSetter public void setDeploy(String v) { this.deploy = StepArgs.text(v); }
    @DataBoundSetter public void setConfirmWait(String v) { this.confirmWait = StepArgs.text(v); }
    @DataBoundSetter public void setTokenSecretCredentialsId(String v) {
        this.tokenSecretCredentialsId = StepArgs.text(v);
    }
    @DataBoundSetter public void setRepoName(String v) { this.repoName = StepArgs.text(v); }
    @DataBoundSetter public void setMaxRevertsPerDay(Integer v) { this.maxRevertsPerDay = v; }
    @DataBoundSetter public void setSlackCredentialsId(String v) {
        this.slackCredentialsId = StepArgs.text(v);
    }
    @DataBoundSetter public void setDiscordCredentialsId(String v) {
        this.discordCredentialsId = StepArgs.text(v);
    }
    @DataBoundSetter public void setWebhookCredentialsId(String v) {
        this.webhookCredentialsId = StepArgs.text(v);
    }
    @DataBoundSetter public void setAuditLog(String v) { this.auditLog = StepArgs.text(v); }
    @DataBoundSetter public void setDryRun(boolean v) { this.dryRun = v; }
    @DataBoundSetter public void setPropagate(boolean v) { this.propagate = v; }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    static final class Execution extends CoreStepExecution {
        private static final long serialVersionUID = 1L;
        private final transient StabilizeStep step;

        Execution(StabilizeStep step, StepContext context) {
            super(FUNCTION, context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            StabilizeCallable.Secrets secrets = new StabilizeCallable.Secrets(
                    secret("tokenSecretCredentialsId", step.tokenSecretCredentialsId),
                    secret("slackCredentialsId", step.slackCredentialsId),
                    secret("discordCredentialsId", step.discordCredentialsId),
                    secret("webhookCredentialsId", step.webhookCredentialsId));
            StabilizeCallable.Settings s = new StabilizeCallable.Settings(new ArrayList<>(step.probes), step.config,
                    step.branch, step.remote, step.commit, step.wait, step.samples, step.interval, step.failureLimit,
                    step.consecutiveErrorLimit, step.holdOnErrors, step.probeTimeout, step.expectStatus, step.deploy,
                    step.confirmWait, step.repoName, step.maxRevertsPerDay, step.auditLog, step.dryRun);
            GatekeeperLog log = log(secrets.tokenSecret(), secrets.slack(), secrets.discord(), secrets.webhook());
            return runInWorkspace(new StabilizeCallable(s, env(), log, secrets), step.propagate);
        }
    }

    @Extension
    public static final class DescriptorImpl extends GatekeeperStepDescriptor implements CustomDescribableModel {
        @Override
        public String getFunctionName() {
            return FUNCTION;
        }

        @Override
        public String getDisplayName() {
            return "Gatekeeper: probe after a deploy and revert the merge if it broke the service";
        }

        @Override
        public Map<String, Object> customInstantiate(Map<String, Object> arguments) {
            return LegacyListForms.probes(arguments);
        }

        @POST
        public ListBoxModel doFillTokenSecretCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String tokenSecretCredentialsId) {
            return SecretTextCredentials.fill(item, tokenSecretCredentialsId);
        }

        @POST
        public FormValidation doCheckTokenSecretCredentialsId(@AncestorInPath Item item,
                @QueryParameter String value) {
            return SecretTextCredentials.check(item, value, false);
        }

        @POST
        public ListBoxModel doFillSlackCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String slackCredentialsId) {
            return SecretTextCredentials.fill(item, slackCredentialsId);
        }

        @POST
        public FormValidation doCheckSlackCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            return SecretTextCredentials.check(item, value, false);
        }

        @POST
        public ListBoxModel doFillDiscordCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String discordCredentialsId) {
            return SecretTextCredentials.fill(item, discordCredentialsId);
        }

        @POST
        public FormValidation doCheckDiscordCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            return SecretTextCredentials.check(item, value, false);
        }

        @POST
        public ListBoxModel doFillWebhookCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String webhookCredentialsId) {
            return SecretTextCredentials.fill(item, webhookCredentialsId);
        }

        @POST
        public FormValidation doCheckWebhookCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            return SecretTextCredentials.check(item, value, false);
        }
    }
}
