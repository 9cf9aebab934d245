package dev.gatekeeper.jenkins;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.policy.Units;
import dev.gatekeeper.verify.RefReaders;
import dev.gatekeeper.verify.VerificationReport;
import dev.gatekeeper.verify.Verification;
import dev.gatekeeper.verify.VerifyPush;
import java.nio.file.Path;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs core's {@link VerifyPush} in the workspace, on the agent that has it. */
final class VerifyPushCallable extends CoreCallable {
    private static final long serialVersionUID = 1L;
    /** Where the alert webhook URL is handed to core: a name only this step uses, never the agent's own. */
    static final String ALERT_ENV = "GATEKEEPER_STEP_ALERT_WEBHOOK";

    /** The step's settings, as given (paths relative to the workspace). */
    record Settings(String branch, String expect, boolean contains, String since, String remote, String github,
            String githubApiUrl, String timeout, String auditLog) implements Serializable {}

    private final Settings s;
    private final String githubToken;
    private final String alertWebhook;

    VerifyPushCallable(Settings s, Map<String, String> env, GatekeeperLog log, String githubToken,
            String alertWebhook) {
        super(env, log);
        this.s = s;
        this.githubToken = githubToken;
        this.alertWebhook = alertWebhook;
    }

    @Override
    LinkedHashMap<String, Object> run(Path ws, Map<String, String> e) throws GatekeeperException, InterruptedException {
        if (githubToken != null) {
            e.put(RefReaders.ENV_GITHUB_TOKEN, githubToken);
        }
        if (alertWebhook != null) {
            e.put(ALERT_ENV, alertWebhook);
        }
        VerifyPush vp = new VerifyPush().setDirectory(ws).setEnv(e).setExpect(s.expect())
                .setContains(s.contains()).setSince(s.since()).setRemote(s.remote()).setBranch(s.branch())
                .setGitHub(s.github()).setGitHubApiUrl(s.githubApiUrl());
        if (alertWebhook != null) {
            vp.setAlertWebhookEnv(ALERT_ENV);
        }
        if (s.auditLog() != null) {
            vp.setAuditLog(ws.resolve(s.auditLog()));
        }
        try {
            if (s.timeout() != null) {
                vp.setTimeout(Units.duration(s.timeout()));
            }
        } catch (IllegalArgumentException bad) {
            return StepResult.failure(ExitCode.USAGE, "timeout: " + bad.getMessage());
        }
        VerifyPush.Result r = vp.call();
        r.warnings().forEach(w -> log.println("warning: " + w));
        Verification v = r.verification();
        log.println(VerificationReport.line(v));
        LinkedHashMap<String, Object> m = StepResult.of(v.verdict().wire(), r.exitCode().code(),
                VerificationReport.line(v));
        StepResult.put(m, "remoteSha", v.after());
        StepResult.put(m, "expectedSha", v.expectation().commit());
        StepResult.put(m, "branch", shortName(v.ref()));
        StepResult.put(m, "ref", v.ref());
        StepResult.put(m, "remote", v.remote());
        StepResult.put(m, "eventId", r.eventId());
        return m;
    }

    private static String shortName(String ref) {
        return ref != null && ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : ref;
    }
}
