package dev.gatekeeper.jenkins;

import static dev.gatekeeper.jenkins.GitRepos.groovy;

import com.sun.net.httpserver.HttpServer;
import hudson.model.Label;
import hudson.model.Result;
import hudson.slaves.DumbSlave;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The steps on a real agent: JenkinsRule's agent is a separate JVM connected over remoting, so this is where the
 * callables are serialized, our classes (core, JGit) and the library plugins' (OkHttp for the probe, Jackson for the
 * report) are loaded through the remoting class loader, and the result maps travel back. The unit tests' stub
 * {@code FilePath.act} can only imitate the first of these.
 */
@WithJenkins
class OnAgentJenkinsTest {
    @RegisterExtension
    static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @TempDir
    Path tmp;

    @Test
    void verifyStabilizeAndDriftRunOnTheAgent(JenkinsRule r) throws Exception {
        DumbSlave agent = r.createOnlineSlave(Label.get("remote"));
        Path bare = GitRepos.bareWithMain(tmp, "app");
        Path clone = GitRepos.cloneOf(bare, tmp.resolve("agent-work"));
        String sha = GitRepos.commit(clone, "feature.txt", "done\n", "agent: feature");
        GitRepos.git(clone, "push", "-q", "origin", "HEAD:main");
        Path deployed = GitRepos.cloneOf(bare, tmp.resolve("srv-app"));

        HttpServer service = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        service.createContext("/healthz", ex -> {
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        service.start();
        try {
            WorkflowJob p = r.createProject(WorkflowJob.class, "p");
            p.setDefinition(new CpsFlowDefinition("""
                    node('remote') {
                      dir(%s) {
                        def v = gatekeeperVerifyPush branch: 'main', expect: '%s'
                        def s = gatekeeperStabilize probes: ['http:http://127.0.0.1:%d/healthz'], wait: '0s', samples: 1,
                                interval: '0s'
                        echo "on ${env.NODE_NAME}: verify ${v.verdict} at ${v.remoteSha}, stabilize ${s.verdict}"
                      }
                      dir('ops') {
                        def d = gatekeeperDriftScan checkouts: [%s], stateFile: 'drift-state.json', propagate: false
                        archiveArtifacts artifacts: d.reportFile
                        echo "on ${env.NODE_NAME}: drift ${d.verdict}"
                      }
                    }""".formatted(groovy(clone), sha, service.getAddress().getPort(),
                    groovy(deployed.toAbsolutePath() + "@main")), true));

            WorkflowRun b = r.buildAndAssertStatus(Result.SUCCESS, p);

            r.assertLogContains("on " + agent.getNodeName() + ": verify verified at " + sha + ", stabilize healthy", b);
            r.assertLogContains("on " + agent.getNodeName() + ": drift clean", b);
        } finally {
            service.stop(0);
        }
    }
}
