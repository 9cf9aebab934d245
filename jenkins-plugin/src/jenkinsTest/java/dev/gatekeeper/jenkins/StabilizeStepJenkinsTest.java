package dev.gatekeeper.jenkins;

import static dev.gatekeeper.jenkins.GitRepos.groovy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import hudson.model.Result;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * {@code gatekeeperStabilize} after a "merge" on main: a healthy service (a tiny HTTP server on 127.0.0.1), and a
 * broken one under {@code dryRun}, which would revert but pushes nothing.
 */
@WithJenkins
class StabilizeStepJenkinsTest {
    @RegisterExtension
    static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @TempDir
    Path tmp;

    private JenkinsRule r;
    private HttpServer service;
    private Path bare;
    private Path clone;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        service = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        service.createContext("/healthz", ex -> respond(ex, 200, "ok"));
        service.createContext("/broken", ex -> respond(ex, 500, "down"));
        service.start();

        bare = GitRepos.bareWithMain(tmp, "app");
        clone = GitRepos.cloneOf(bare, tmp.resolve("deploy-work"));
        GitRepos.commit(clone, "app.conf", "feature=on\n", "Merge: turn the feature on");
        GitRepos.git(clone, "push", "-q", "origin", "HEAD:main");
    }

    @AfterEach
    void stopService() {
        if (service != null) {
            service.stop(0);
        }
    }

    @Test
    void healthyServiceReturnsHealthy() throws Exception {
        WorkflowRun b = build("""
                node {
                  dir(%s) {
                    def s = gatekeeperStabilize probes: [[url: '%s/healthz', expectStatus: '200', bodyRegex: 'ok']],
                            wait: '0s', samples: 1, interval: '0s'
                    echo "stabilize: ${s.verdict} exit ${s.exitCode} revert '${s.revertSha ?: ''}'"
                  }
                }""".formatted(groovy(clone), url()), Result.SUCCESS);

        r.assertLogContains("[gatekeeper] ", b);
        r.assertLogContains("stabilize: healthy exit 0 revert ''", b);
    }

    @Test
    void brokenServiceUnderDryRunWouldRevertAndPushesNothing() throws Exception {
        String mainBefore = GitRepos.revParse(bare, "main");

        WorkflowRun b = build("""
                node {
                  dir(%s) {
                    def s = gatekeeperStabilize probes: ['http:%s/broken'], wait: '0s', samples: 1, interval: '0s',
                            dryRun: true, propagate: false
                    echo "stabilize: ${s.verdict} exit ${s.exitCode}"
                  }
                }""".formatted(groovy(clone), url()), Result.SUCCESS);

        r.assertLogContains("stabilize: would-revert exit 3", b);
        assertEquals(mainBefore, GitRepos.revParse(bare, "main"), "a dry run pushes nothing");
        assertEquals(mainBefore, GitRepos.head(clone), "a dry run leaves the clone as it was");
    }

    @Test
    void wouldRevertFailsTheBuildWhenPropagating() throws Exception {
        WorkflowRun b = build("""
                node {
                  dir(%s) {
                    gatekeeperStabilize probes: ['http:%s/broken'], wait: '0s', samples: 1, interval: '0s', dryRun: true
                    echo 'after the step'
                  }
                }""".formatted(groovy(clone), url()), Result.FAILURE);

        r.assertLogContains("gatekeeperStabilize: ", b);
        r.assertLogContains("(exit 3)", b);
        r.assertLogNotContains("after the step", b);
    }

    private String url() {
        return "http://127.0.0.1:" + service.getAddress().getPort();
    }

    private WorkflowRun build(String script, Result expected) throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition(script, true));
        return r.buildAndAssertStatus(expected, p);
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }
}
