package dev.gatekeeper.jenkins;

import dev.gatekeeper.verify.VerifyPushSettings;
import dev.gatekeeper.verify.VerifyPushSettings.Key;
import hudson.Extension;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code gatekeeperVerifyPush}: checks that the remote branch really holds what was pushed from the workspace
 * (the CLI's {@code gatekeeper verify-push}). Returns {@code [verdict, exitCode, reason, remoteSha, expectedSha,
 * branch, ref, remote, eventId]}.
 */
public final class VerifyPushStep extends Step {
    static final String FUNCTION = "gatekeeperVerifyPush";

    private final String branch;
    private String expect;
    private boolean contains;
    private String since;
    private String remote;
    private String github;
    private String githubApiUrl;
    private String githubCredentialsId;
    private String via;
    private String timeout;
    private String auditLog;
    private String alertWebhookCredentialsId;
    private boolean alertInconclusive;
    private boolean propagate = true;
    private String pingUrlCredentialsId;
    private String job;

    /** @param branch the branch (or full ref) that must hold the commit; blank: the clone's upstream branch */
    @DataBoundConstructor
    public VerifyPushStep(String branch) {
        this.branch = StepArgs.text(branch);
    }

    public String getBranch() { return branch; }
    public String getExpect() { return expect; }
    public boolean isContains() { return contains; }
    public String getSince() { return since; }
    public String getRemote() { return remote; }
    public String getGithub() { return github; }
    public String getGithubApiUrl() { return githubApiUrl; }
    public String getGithubCredentialsId() { return githubCredentialsId; }
    public String getVia() { return via; }
    public String getTimeout() { return timeout; }
    public String getAuditLog() { return auditLog; }
    public String getAlertWebhookCredentialsId() { return alertWebhookCredentialsId; }
    public boolean isAlertInconclusive() { return alertInconclusive; }
    public boolean isPropagate() { return propagate; }
    public String getPingUrlCredentialsId() { return pingUrlCredentialsId; }
    public String getJob() { return job; }

    @DataBoundSetter public void setExpect(String v) { this.expect = VerifyPushSettings.check(Key.EXPECT, v); }
    @DataBoundSetter public void setContains(boolean v) { this.contains = v; }
    @DataBoundSetter public void setSince(String v) { this.since = StepArgs.text(v); }
    @DataBoundSetter public void setRemote(String v) { this.remote = StepArgs.text(v); }
    @DataBoundSetter public void setGithub(String v) { this.github = VerifyPushSettings.check(Key.GITHUB, v); }
    @DataBoundSetter public void setGithubApiUrl(String v) {
        this.githubApiUrl = VerifyPushSettings.check(Key.GITHUB_API_URL, v);
    }
    @DataBoundSetter public void setGithubCredentialsId(String v) {
        this.githubCredentialsId = StepArgs.text(v);
    }
    /** {@code auto} (default: local paths directly, github.com by API, others by git), {@code git} or {@code github}. */
    @DataBoundSetter public void setVia(String v) { this.via = VerifyPushSettings.check(Key.VIA, v); }
    @DataBoundSetter public void setTimeout(String v) { this.timeout = VerifyPushSettings.check(Key.TIMEOUT, v); }
    @DataBoundSetter public void setAuditLog(String v) { this.auditLog = StepArgs.text(v); }
    @DataBoundSetter public void setAlertWebhookCredentialsId(String v) {
        this.alertWebhookCredentialsId = StepArgs.text(v);
    }
    /** Also alert when the result is inconclusive (default: only when not verified). */
    @DataBoundSetter public void setAlertInconclusive(boolean v) { this.alertInconclusive = v; }
    @DataBoundSetter public void setPropagate(boolean v) { this.propagate = v; }
    /** Secret text credentials holding a ping service's check URL (Healthchecks style); the URL is a secret. */
    @DataBoundSetter public void setPingUrlCredentialsId(String v) {
        this.pingUrlCredentialsId = StepArgs.text(v);
    }
    /** The job's name in the pings (default: the command's); checked here, as the CLI's {@code --job}. */
    @DataBoundSetter public void setJob(String v) { this.job = StepArgs.job(v); }

    /** The step's settings, as they travel to the agent. */
    VerifyPushCallable.Settings values() {
        return new VerifyPushCallable.Settings(branch, expect, contains, since, remote, github, githubApiUrl, via,
                timeout, auditLog, alertInconclusive);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    static final class Execution extends CoreStepExecution {
        private static final long serialVersionUID = 1L;
        private final transient VerifyPushStep step;

        Execution(VerifyPushStep step, StepContext context) {
            super(FUNCTION, context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            String githubToken = secret("githubCredentialsId", step.githubCredentialsId);
            String webhook = secret("alertWebhookCredentialsId", step.alertWebhookCredentialsId);
            String ping = secret("pingUrlCredentialsId", step.pingUrlCredentialsId);
            VerifyPushCallable.Settings s = step.values();
            return runInWorkspace(new VerifyPushCallable(s, env(), log(githubToken, webhook, ping), githubToken,
                    webhook).pinging(step.job, ping),
                    step.propagate);
        }
    }

    @Extension
    public static final class DescriptorImpl extends GitHubCommandStepDescriptor {
        @Override
        public String getFunctionName() {
            return FUNCTION;
        }

        @Override
        public String getDisplayName() {
            return "Gatekeeper: verify that a push landed on the remote branch";
        }
    }
}
