package dev.gatekeeper.jenkins;

import dev.gatekeeper.jenkins.stubs.StubTaskListener;
import dev.gatekeeper.settings.OneStabilizeConfiguration;
import dev.gatekeeper.settings.SettingsCatalog;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Pipeline's {@code gatekeeperStabilize} with the parameters a Jenkinsfile gives it, the secrets in credentials,
 * gives core on the agent the record the YAML file gives.
 */
class OneConfigurationTest {
    @TempDir
    Path ws;

    @Test
    void theStepsParametersGiveTheRecordTheYamlFileGives() throws Exception {
        Probe tcp = new Probe(OneStabilizeConfiguration.TCP_PROBE);
        StabilizeStep step = new StabilizeStep(List.of(new Probe(OneStabilizeConfiguration.PROBE), tcp));
        step.setRemote("upstream");
        step.setBranch("release");
        step.setCommit("HEAD~1");
        step.setWait("90s");
        step.setConfirmWait("45s");
        step.setProbeTimeout("7s");
        step.setExpectStatus("204");
        step.setBodyRegex("ready");
        step.setJsonField("status=UP");
        step.setHeaders(List.of(new ProbeHeader("X-Sample", "SAMPLE_HEADER")));
        step.setSamples(7);
        step.setInterval("3s");
        step.setFailureLimit(2);
        step.setConsecutiveErrorLimit(9);
        step.setHoldOnErrors(true);
        step.setDeploy("systemctl restart app");
        step.setDeployTimeout("3m");
        step.setSlackCredentialsId("slack-hook");
        step.setTokenSecretCredentialsId("pipeline-secret");
        step.setRepoName("team/app");
        step.setMaxRevertsPerDay(5);
        step.setAuditLog(OneStabilizeConfiguration.AUDIT_LOG);
        // what the step's execution reads from the two credentials before it goes to the agent
        StabilizeCallable.Secrets secrets = new StabilizeCallable.Secrets(SettingsCatalog.ENV.get("SAMPLE_SECRET"),
                "pipeline-secret", new String[] {"slack", SettingsCatalog.ENV.get("SAMPLE_SLACK_URL"), "slack-hook"},
                null, null);
        StabilizeCallable onAgent = new StabilizeCallable(step.values(), java.util.Map.of(),
                new GatekeeperLog(new StubTaskListener(), List.of()), secrets);
        OneStabilizeConfiguration.assertSameSettings(OneStabilizeConfiguration.fromYaml(ws, ws),
                onAgent.settings(ws, SettingsCatalog.ENV));
    }
}
