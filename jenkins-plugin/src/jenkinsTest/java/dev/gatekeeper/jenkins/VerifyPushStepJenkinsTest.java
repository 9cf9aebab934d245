package dev.gatekeeper.jenkins;

import static dev.gatekeeper.jenkins.GitRepos.groovy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import hudson.model.Result;
import java.nio.file.Path;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * {@code gatekeeperVerifyPush} in a real Pipeline: an "agent" clone that pushed (verified) and one that only claims
 * it did (not verified: the build fails with the one-line reason, and nothing after the step runs).
 */
@WithJenkins
class VerifyPushStepJenkinsTest {
    @RegisterExtension
    static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @TempDir
    Path tmp;

    private JenkinsRule r;
    private Path bare;
    private Path agentClone;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        bare = GitRepos.bareWithMain(tmp, "app");
        agentClone = GitRepos.cloneOf(bare, tmp.resolve("agent-work"));
    }

    @Test
    void pushedCommitIsVerifiedAndReturnedToGroovy() throws Exception {
        String sha = GitRepos.commit(agentClone, "feature.txt", "done\n", "agent: feature");
        GitRepos.git(agentClone, "push", "-q", "origin", "HEAD:main");

        WorkflowRun b = build("""
                node {
                  dir(%s) {
                    def r = gatekeeperVerifyPush branch: 'main', expect: '%s'
                    echo "remote main is ${r.remoteSha} (${r.verdict}, exit ${r.exitCode})"
                  }
                }""".formatted(groovy(agentClone), sha), Result.SUCCESS);

        r.assertLogContains("[gatekeeper] ", b);
        r.assertLogContains("remote main is " + sha + " (verified, exit 0)", b);
    }

    @Test
    void unpushedCommitFailsTheBuildWithOneLineReason() throws Exception {
        String remoteBefore = GitRepos.revParse(bare, "main");
        GitRepos.commit(agentClone, "feature.txt", "claimed\n", "agent: claims it pushed");

        WorkflowRun b = build("""
                node {
                  dir(%s) {
                    gatekeeperVerifyPush branch: 'main', timeout: '2s'
                    echo 'after the step'
                  }
                }""".formatted(groovy(agentClone)), Result.FAILURE);

        // AbortException: "gatekeeperVerifyPush: <reason> (exit 3)", no stack trace, nothing after the step.
        r.assertLogContains("gatekeeperVerifyPush: ", b);
        r.assertLogContains("(exit 3)", b);
        r.assertLogNotContains("after the step", b);
        r.assertLogNotContains("\tat dev.gatekeeper.", b);
        assertEquals(remoteBefore, GitRepos.revParse(bare, "main"), "verify-push never pushes");
    }

    @Test
    void propagateFalseReturnsTheVerdictInsteadOfFailing() throws Exception {
        GitRepos.commit(agentClone, "feature.txt", "claimed\n", "agent: claims it pushed");

        WorkflowRun b = build("""
                node {
                  dir(%s) {
                    def r = gatekeeperVerifyPush branch: 'main', timeout: '2s', propagate: false
                    echo "verdict=${r.verdict} exit=${r.exitCode}"
                  }
                }""".formatted(groovy(agentClone)), Result.SUCCESS);

        r.assertLogContains("verdict=not-verified exit=3", b);
    }

    private WorkflowRun build(String script, Result expected) throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition(script, true));
        return r.buildAndAssertStatus(expected, p);
    }
}
