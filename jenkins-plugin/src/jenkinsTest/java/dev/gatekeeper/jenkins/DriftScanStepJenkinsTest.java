package dev.gatekeeper.jenkins;

import static dev.gatekeeper.jenkins.GitRepos.groovy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Result;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * {@code gatekeeperDriftScan} over a "deployed checkout": clean, then changed by hand on the host. The JSON report is
 * archived with {@code archiveArtifacts artifacts: d.reportFile}, as the drift example Jenkinsfile does.
 */
@WithJenkins
class DriftScanStepJenkinsTest {
    @RegisterExtension
    static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    private static final String REPORT = "gatekeeper-drift-report.json";

    @TempDir
    Path tmp;

    private JenkinsRule r;
    private Path deployed;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        Path bare = GitRepos.bareWithMain(tmp, "app");
        deployed = GitRepos.cloneOf(bare, tmp.resolve("srv-app"));
    }

    @Test
    void cleanCheckoutIsCleanAndTheReportIsArchived() throws Exception {
        WorkflowRun b = scan(Result.SUCCESS);

        r.assertLogContains("drift: clean exit 0 findings 0 report " + REPORT, b);
        String report = archivedReport(b);
        assertTrue(report.contains("CLEAN"), report);
    }

    @Test
    void handEditedCheckoutIsDriftAndTheReportSaysWhat() throws Exception {
        Files.writeString(deployed.resolve("hotfix.sh"), "echo patched on the host\n", StandardCharsets.UTF_8);

        // propagate: false: drift is reported (verdict, report) without failing the hourly job.
        WorkflowRun b = scan(Result.SUCCESS);

        r.assertLogContains("drift: drift exit 3", b);
        String report = archivedReport(b);
        assertTrue(report.contains("DRIFT") && report.contains("dirty"), report);
        assertTrue(report.contains(deployed.getFileName().toString()), report);
    }

    @Test
    void driftFailsTheBuildWhenPropagating() throws Exception {
        Files.writeString(deployed.resolve("hotfix.sh"), "echo patched on the host\n", StandardCharsets.UTF_8);
        WorkflowJob p = r.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("""
                node {
                  dir('ops') {
                    // the former list of strings, DIR@BRANCH, still binds (CustomDescribableModel)
                    gatekeeperDriftScan checkouts: [%s], stateFile: 'drift-state.json'
                    echo 'after the step'
                  }
                }""".formatted(groovy(deployed.toAbsolutePath() + "@main")), true));

        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);

        r.assertLogContains("gatekeeperDriftScan: ", b);
        r.assertLogContains("(exit 3)", b);
        r.assertLogNotContains("after the step", b);
    }

    /** The drift job's shape: scan (not failing on drift), archive the report, print the verdict. */
    private WorkflowRun scan(Result expected) throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("""
                node {
                  dir('ops') {
                    def d = gatekeeperDriftScan checkouts: [[path: %s, branch: 'main']], stateFile: 'drift-state.json',
                            propagate: false
                    archiveArtifacts artifacts: d.reportFile
                    echo "drift: ${d.verdict} exit ${d.exitCode} findings ${d.driftCount} report ${d.reportFile}"
                  }
                }""".formatted(groovy(deployed.toAbsolutePath().toString())), true));
        return r.buildAndAssertStatus(expected, p);
    }

    private static String archivedReport(WorkflowRun b) throws Exception {
        List<WorkflowRun.Artifact> artifacts = b.getArtifacts();
        assertEquals(1, artifacts.size(), artifacts.toString());
        assertEquals(REPORT, artifacts.get(0).relativePath);
        try (InputStream in = b.getArtifactManager().root().child(REPORT).open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
