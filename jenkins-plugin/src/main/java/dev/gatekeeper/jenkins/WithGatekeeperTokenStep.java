package dev.gatekeeper.jenkins;

import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.outcome.Outcome;
import dev.gatekeeper.settings.KeyStyle;
import dev.gatekeeper.policy.Units;
import dev.gatekeeper.token.MintTokenCommand;
import dev.gatekeeper.token.PushOptionEnvironment;
import dev.gatekeeper.token.Secret;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Item;
import hudson.console.ConsoleLogFilter;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.GeneralNonBlockingStepExecution;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code withGatekeeperToken(secretCredentialsId: …) { sh 'git push origin HEAD:main' }}: mints a pipeline
 * token for the workspace's commit and runs the block with it in {@code $GATEKEEPER_TOKEN} and in git's
 * {@code GIT_CONFIG_*} variables as {@code push.pushOption}, so a plain {@code git push} in the block carries it
 * to the gate. The token is minted on the controller: the pipeline secret never travels to the agent. The block's
 * log masks the token ({@link TokenMaskingFilter}).
 */
public final class WithGatekeeperTokenStep extends Step {
    static final String FUNCTION = "withGatekeeperToken";
    static final String DEFAULT_REF = "refs/heads/main";
    static final String DEFAULT_VARIABLE = "GATEKEEPER_TOKEN";

    private final String secretCredentialsId;
    private String repo;
    private String ref = DEFAULT_REF;
    private String commit;
    private String ttl;
    private String variable = DEFAULT_VARIABLE;

    /** @param secretCredentialsId secret-text credentials holding the pipeline token secret the server's policy knows */
    @DataBoundConstructor
    public WithGatekeeperTokenStep(String secretCredentialsId) {
        this.secretCredentialsId = StepArgs.text(secretCredentialsId);
    }

    /** @param repo the repository id as the server knows it (null: from the workspace's origin URL) */
    public WithGatekeeperTokenStep(String secretCredentialsId, String repo) {
        this(secretCredentialsId);
        setRepo(repo);
    }

    public String getSecretCredentialsId() { return secretCredentialsId; }
    public String getRepo() { return repo; }
    public String getRef() { return ref; }
    public String getCommit() { return commit; }
    public String getTtl() { return ttl; }
    public String getVariable() { return variable; }

    /**
     * The repository id the server binds tokens to; default: from the workspace's {@code origin} push URL, as
     * {@code gatekeeper token mint} derives it ({@code git@host:team/app.git} is {@code team/app}).
     */
    @DataBoundSetter public void setRepo(String v) { this.repo = StepArgs.text(v); }
    /** A branch name ({@code main}) or a full ref ({@code refs/heads/main}). */
    @DataBoundSetter public void setRef(String v) {
        String r = StepArgs.text(v);
        this.ref = r == null ? DEFAULT_REF : r.startsWith("refs/") ? r : "refs/heads/" + r;
    }
    @DataBoundSetter public void setCommit(String v) { this.commit = StepArgs.text(v); }
    /** How long the token is valid, e.g. {@code 10m} (checked here, when the step is configured). */
    @DataBoundSetter public void setTtl(String v) {
        String t = StepArgs.text(v);
        if (t != null) {
            try {
                Units.duration(t);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ttl: invalid value '" + t + "' (allowed: " + e.getMessage() + ")");
            }
        }
        this.ttl = t;
    }
    @DataBoundSetter public void setVariable(String v) {
        String name = StepArgs.text(v);
        this.variable = name == null ? DEFAULT_VARIABLE : name;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    static final class Execution extends GeneralNonBlockingStepExecution {
        private static final long serialVersionUID = 1L;
        private final transient WithGatekeeperTokenStep step;

        Execution(WithGatekeeperTokenStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        public boolean start() throws Exception {
            // reading the workspace's HEAD may wait for an agent: not on the CPS VM thread
            run(this::mintAndStartBody);
            return false;
        }

        private void mintAndStartBody() throws Exception {
            StepContext ctx = getContext();
            if (step.secretCredentialsId == null) {
                throw new AbortException(FUNCTION + ": secretCredentialsId is required");
            }
            if (!step.variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new AbortException(FUNCTION + ": variable '" + step.variable + "' is not a variable name");
            }
            Run<?, ?> run = ctx.get(Run.class);
            String secretText = StepSecrets.text(FUNCTION, "secretCredentialsId", step.secretCredentialsId, run);
            String sha = ctx.get(FilePath.class).act(new HeadCallable(FUNCTION, step.commit));
            String repo = step.repo != null ? step.repo
                    : ctx.get(FilePath.class).act(new RepositoryIdCallable(FUNCTION));
            MintTokenCommand.Minted minted = mint(secretText, repo, sha, run.getExternalizableId());

            EnvVars env = ctx.get(EnvVars.class);
            Map<String, String> vars = new LinkedHashMap<>();
            vars.put(step.variable, minted.token());
            vars.putAll(PushOptionEnvironment.forPipelineToken(env == null ? Map.of() : env, minted.token()));
            new GatekeeperLog(ctx.get(TaskListener.class), java.util.List.of(secretText, minted.token()))
                    .println("pipeline token for " + repo + " " + step.ref + " @ " + sha.substring(0, 7)
                            + ", expires " + minted.claims().expiresAt().truncatedTo(ChronoUnit.SECONDS)
                            + " ($" + step.variable + ", and push.pushOption for git push)");
            ctx.newBodyInvoker()
                    .withContext(EnvironmentExpander.merge(ctx.get(EnvironmentExpander.class),
                            new TokenEnvironment(vars)))
                    // the block's log never shows the token (echo, sh -x, env), whatever encloses the block
                    .withContext(BodyInvoker.mergeConsoleLogFilters(ctx.get(ConsoleLogFilter.class),
                            new TokenMaskingFilter(minted.token())))
                    .withCallback(BodyExecutionCallback.wrap(ctx))
                    .start();
        }

        private MintTokenCommand.Minted mint(String secretText, String repo, String sha, String issuer)
                throws AbortException {
            try {
                Duration ttl = step.ttl == null ? null : Units.duration(step.ttl); // checked by setTtl
                Secret secret = Secret.of(secretText.getBytes(StandardCharsets.UTF_8),
                        "credentials '" + step.secretCredentialsId + "'");
                return new MintTokenCommand().setRepository(repo).setRef(step.ref).setSha(sha).setTtl(ttl)
                        .setSecret(secret).setIssuer(issuer).call();
            } catch (GatekeeperException | IllegalStateException e) {
                // the one mapping every packaging shares; core's "sha" is this step's commit
                Outcome<?> o = Outcome.of(e, KeyStyle.JENKINS.with(java.util.Map.of("sha", "commit")));
                throw new AbortException(FUNCTION + ": " + o.summary() + " (exit " + o.exitCode().code() + ")");
            }
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
            return "Gatekeeper: push through the gate with a pipeline token";
        }

        @Override
        public boolean takesImplicitBlockArgument() {
            return true;
        }

        @POST
        public ListBoxModel doFillSecretCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String secretCredentialsId) {
            return SecretTextCredentials.fill(item, secretCredentialsId);
        }

        @POST
        public FormValidation doCheckSecretCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            return SecretTextCredentials.check(item, value, true);
        }
    }
}
