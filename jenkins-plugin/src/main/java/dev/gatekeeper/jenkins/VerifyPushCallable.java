package dev.gatekeeper.jenkins;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.outcome.Outcome;
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
final class VerifyPushCallable extends CoreCallable<VerifyPush.Result> {
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
        super("verify-push", env, log);
        this.s = s;
        this.githubToken = githubToken;
        this.alertWebhook = alertWebhook;
    }

    @Override
    Outcome<VerifyPush.Result> run(Path ws, Map<String, String> e) throws GatekeeperException, InterruptedException {
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
        if (s.timeout() != null) {
            try {
                vp.setTimeout(Units.duration(s.timeout()));
            } catch (IllegalArgumentException bad) {
                throw dev.gatekeeper.settings.SettingsException.of("timeout", "invalid value '" + s.timeout() + "'",
                        bad.getMessage());
            }
        }
        VerifyPush.Result r = vp.call();
        Verification v = r.verification();
        return new Outcome<>(v.verdict(), VerificationReport.line(v), r, r.warnings());
    }

    @Override
    void render(Outcome<VerifyPush.Result> o, LinkedHashMap<String, Object> m) {
        if (o.report() == null) {
            for (String k : new String[] {"remoteSha", "expectedSha", "branch", "ref", "remote", "eventId"}) {
                StepResult.put(m, k, null);
            }
            return;
        }
        VerifyPush.Result r = o.report();
        Verification v = r.verification();
        StepResult.put(m, "remoteSha", v.after());
        StepResult.put(m, "expectedSha", v.expectation().commit());
        StepResult.put(m, "branch", shortName(v.ref()));
        StepResult.put(m, "ref", v.ref());
        StepResult.put(m, "remote", v.remote());
        StepResult.put(m, "eventId", r.eventId());
    }

    private static String shortName(String ref) {
        return ref != null && ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : ref;
    }
}
