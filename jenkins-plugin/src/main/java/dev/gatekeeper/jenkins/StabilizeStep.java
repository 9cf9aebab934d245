package dev.gatekeeper.jenkins;

import dev.gatekeeper.stabilize.StabilizeSettings;
import dev.gatekeeper.stabilize.StabilizeSettings.Key;
import hudson.Extension;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.util.ArrayList;
import java.util.Arrays;
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
 *
 * <p>Each parameter is a setting of {@link StabilizeSettings} by the same name, checked when the step is configured
 * (a bad duration or pattern fails the step before it reaches an agent); the secrets are credentials ids.
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
    private String bodyRegex;
    private String jsonField;
    private List<ProbeHeader> headers = List.of();
    private String deploy;
    private String deployTimeout;
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
    private String pingUrlCredentialsId;
    private String job;

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
    public String getBodyRegex() { return bodyRegex; }
    public String getJsonField() { return jsonField; }
    public List<ProbeHeader> getHeaders() { return headers; }
    public String getDeploy() { return deploy; }
    public String getDeployTimeout() { return deployTimeout; }
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
    public String getPingUrlCredentialsId() { return pingUrlCredentialsId; }
    public String getJob() { return job; }

    @DataBoundSetter public void setConfig(String v) { this.config = StepArgs.text(v); }
    @DataBoundSetter public void setBranch(String v) { this.branch = check(Key.BRANCH, v); }
    @DataBoundSetter public void setRemote(String v) { this.remote = check(Key.REMOTE, v); }
    @DataBoundSetter public void setCommit(String v) { this.commit = check(Key.COMMIT, v); }
    @DataBoundSetter public void setWait(String v) { this.wait = check(Key.WAIT, v); }
    @DataBoundSetter public void setSamples(Integer v) { this.samples = check(Key.SAMPLES, v); }
    @DataBoundSetter public void setInterval(String v) { this.interval = check(Key.INTERVAL, v); }
    @DataBoundSetter public void setFailureLimit(Integer v) { this.failureLimit = check(Key.FAILURE_LIMIT, v); }
    @DataBoundSetter public void setConsecutiveErrorLimit(Integer v) {
        this.consecutiveErrorLimit = check(Key.CONSECUTIVE_ERROR_LIMIT, v);
    }
    /** Errors past the limit hold (verdict inconclusive) instead of reverting; unset: the config file's, else no. */
    @DataBoundSetter public void setHoldOnErrors(Boolean v) { this.holdOnErrors = v; }
    @DataBoundSetter public void setProbeTimeout(String v) { this.probeTimeout = check(Key.PROBE_TIMEOUT, v); }
    @DataBoundSetter public void setExpectStatus(String v) { this.expectStatus = check(Key.EXPECT_STATUS, v); }
    @DataBoundSetter public void setBodyRegex(String v) { this.bodyRegex = check(Key.BODY_REGEX, v); }
    @DataBoundSetter public void setJsonField(String v) { this.jsonField = check(Key.JSON_FIELD, v); }
    /**
     * Headers every HTTP probe sends (a probe's own header of the same name wins), each value read from a variable
     * of the build when the probes run ({@code withCredentials}), as the CLI's {@code --header NAME=ENVVAR}.
     */
    @DataBoundSetter public void setHeaders(List<ProbeHeader> v) { this.headers = StepArgs.list(v); }
    @DataBoundSetter public void setDeploy(String v) { this.deploy = check(Key.DEPLOY, v); }
    @DataBoundSetter public void setDeployTimeout(String v) { this.deployTimeout = check(Key.DEPLOY_TIMEOUT, v); }
    @DataBoundSetter public void setConfirmWait(String v) { this.confirmWait = check(Key.CONFIRM_WAIT, v); }
    @DataBoundSetter public void setTokenSecretCredentialsId(String v) {
        this.tokenSecretCredentialsId = StepArgs.text(v);
    }
    @DataBoundSetter public void setRepoName(String v) { this.repoName = check(Key.REPO_NAME, v); }
    @DataBoundSetter public void setMaxRevertsPerDay(Integer v) {
        this.maxRevertsPerDay = check(Key.MAX_REVERTS_PER_DAY, v);
    }
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
    /** Secret text credentials holding a ping service's check URL (Healthchecks style); the URL is a secret. */
    @DataBoundSetter public void setPingUrlCredentialsId(String v) {
        this.pingUrlCredentialsId = StepArgs.text(v);
    }
    /** The job's name in the pings (default: the command's); checked here, as the CLI's {@code --job}. */
    @DataBoundSetter public void setJob(String v) { this.job = StepArgs.job(v); }

    /** {@code v} checked as core takes {@code key}, now: a bad value fails the step as it is configured. */
    private static String check(Key key, String v) {
        return StabilizeSettings.check(key, v);
    }

    private static Integer check(Key key, Integer v) {
        if (v != null) {
            StabilizeSettings.check(key, v.toString());
        }
        return v;
    }

    /** The step's settings, as they travel to the agent. */
    StabilizeCallable.Settings values() {
        return new StabilizeCallable.Settings(
                new ArrayList<>(probes), new ArrayList<>(headers), config, branch, remote, commit, wait, samples,
                interval, failureLimit, consecutiveErrorLimit, holdOnErrors, probeTimeout, expectStatus, bodyRegex,
                jsonField, deploy, deployTimeout, confirmWait, repoName, maxRevertsPerDay, auditLog, dryRun);
    }

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
                    secret("tokenSecretCredentialsId", step.tokenSecretCredentialsId), step.tokenSecretCredentialsId,
                    notification("slack", "slackCredentialsId", step.slackCredentialsId),
                    notification("discord", "discordCredentialsId", step.discordCredentialsId),
                    notification("webhook", "webhookCredentialsId", step.webhookCredentialsId));
            String ping = secret("pingUrlCredentialsId", step.pingUrlCredentialsId);
            StabilizeCallable.Settings s = step.values();
            List<String> masked = new ArrayList<>(Arrays.asList(secrets.values()));
            masked.add(ping);
            GatekeeperLog log = log(masked.toArray(String[]::new));
            return runInWorkspace(new StabilizeCallable(s, env(), log, secrets).pinging(step.job, ping),
                    step.propagate);
        }

        /** {@code [kind, url, credentials id]}, or null when no id was given. */
        private String[] notification(String kind, String parameter, String id) throws Exception {
            String url = secret(parameter, id);
            return url == null ? null : new String[] {kind, url, id};
        }
    }

    @Extension
    public static final class DescriptorImpl extends CommandStepDescriptor implements CustomDescribableModel {
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
