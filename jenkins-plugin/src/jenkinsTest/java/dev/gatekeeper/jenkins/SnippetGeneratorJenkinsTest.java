package dev.gatekeeper.jenkins;

import java.util.List;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * What the Snippet Generator does with each step, in the real Jenkins:
 * <ul>
 *   <li>step object → Groovy (the text the generator shows) → step object again ({@link SnippetizerTester},
 *       workflow-cps tests jar); the expected texts are the Jenkinsfile syntax the README documents (named arguments
 *       in alphabetical order, as structs' DescribableModel.uninstantiate2 sorts them; a lone required argument
 *       without its name);</li>
 *   <li>the config.jelly form: displayed, submitted, rebuilt equal ({@link StepConfigTester}, workflow-step-api tests
 *       jar; equality by {@link JenkinsRule#assertEqualDataBoundBeans});</li>
 *   <li>the model the generator's documentation is built from ({@link SnippetizerTester#assertDocGeneration}).</li>
 * </ul>
 */
@WithJenkins
class SnippetGeneratorJenkinsTest {
    private JenkinsRule r;
    private SnippetizerTester st;

    @BeforeEach
    void setUp(JenkinsRule rule) {
        r = rule;
        st = new SnippetizerTester(r);
    }

    @Test
    void verifyPush() throws Exception {
        st.assertRoundTrip(new VerifyPushStep("main"), "gatekeeperVerifyPush 'main'");

        VerifyPushStep s = new VerifyPushStep("main");
        s.setExpect("3f2a9c1");
        s.setTimeout("10s");
        s.setPropagate(false);
        st.assertRoundTrip(s, "gatekeeperVerifyPush branch: 'main', expect: '3f2a9c1', propagate: false, timeout: '10s'");
        formRoundTrip(s);
        SnippetizerTester.assertDocGeneration(VerifyPushStep.class);
    }

    @Test
    void stabilize() throws Exception {
        Probe health = new Probe("https://app.internal/healthz");
        health.setBodyRegex("ok");
        health.setHeaders(List.of(new ProbeHeader("Authorization", "HEALTH_AUTH")));
        StabilizeStep s = new StabilizeStep(List.of(health, new Probe("tcp:db.internal:5432")));
        s.setWait("2m");
        s.setDeploy("./deploy.sh");
        s.setTokenSecretCredentialsId("gatekeeper-pipeline-secret");
        s.setRepoName("app");
        s.setSlackCredentialsId("slack-webhook");
        st.assertRoundTrip(s, "gatekeeperStabilize deploy: './deploy.sh', probes: [[bodyRegex: 'ok',"
                + " headers: [[name: 'Authorization', variable: 'HEALTH_AUTH']], url: 'https://app.internal/healthz'],"
                + " [url: 'tcp:db.internal:5432']], repoName: 'app', slackCredentialsId: 'slack-webhook',"
                + " tokenSecretCredentialsId: 'gatekeeper-pipeline-secret', wait: '2m'");
        formRoundTrip(s);
        SnippetizerTester.assertDocGeneration(StabilizeStep.class);
    }

    @Test
    void driftScan() throws Exception {
        DriftScanStep s = new DriftScanStep();
        s.setConfig("drift.yaml");
        s.setAlertWebhookCredentialsId("ops-webhook");
        s.setPropagate(false);
        st.assertRoundTrip(s,
                "gatekeeperDriftScan alertWebhookCredentialsId: 'ops-webhook', config: 'drift.yaml', propagate: false");
        Checkout app = new Checkout("/srv/app");
        app.setBranch("main");
        GitHubRepository repo = new GitHubRepository("acme/app");
        s.setCheckouts(List.of(app));
        s.setBares(List.of(new BareRepository("/srv/git/app.git")));
        s.setGithubRepos(List.of(repo));
        st.assertRoundTrip(s, "gatekeeperDriftScan alertWebhookCredentialsId: 'ops-webhook',"
                + " bares: [[path: '/srv/git/app.git']], checkouts: [[branch: 'main', path: '/srv/app']],"
                + " config: 'drift.yaml', githubRepos: [[repo: 'acme/app']], propagate: false");
        formRoundTrip(s);
        SnippetizerTester.assertDocGeneration(DriftScanStep.class);
    }

    @Test
    void withGatekeeperToken() throws Exception {
        // A ref that is neither the default nor a short name the step might expand, so it survives as written.
        WithGatekeeperTokenStep s = new WithGatekeeperTokenStep("gatekeeper-pipeline-secret", "app");
        s.setRef("refs/heads/release/1.x");
        st.assertRoundTrip(s, "withGatekeeperToken(ref: 'refs/heads/release/1.x', repo: 'app',"
                + " secretCredentialsId: 'gatekeeper-pipeline-secret') {\n    // some block\n}");
        formRoundTrip(s);
        SnippetizerTester.assertDocGeneration(WithGatekeeperTokenStep.class);
    }

    private void formRoundTrip(Step s) throws Exception {
        r.assertEqualDataBoundBeans(s, new StepConfigTester(r).configRoundTrip(s));
    }
}
