package dev.gatekeeper.jenkins;

import dev.gatekeeper.outcome.Outcome;
import dev.gatekeeper.verify.RefReaders;
import dev.gatekeeper.verify.VerifyPush;
import dev.gatekeeper.verify.VerifyPushReport;
import dev.gatekeeper.verify.VerifyPushSettings;
import dev.gatekeeper.verify.VerifyPushSettings.Key;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs core's {@link VerifyPush} in the workspace, on the agent that has it: the step's values become
 * {@link VerifyPushSettings} there, the GitHub token and the alert webhook as values from credentials.
 */
final class VerifyPushCallable extends CoreCallable<VerifyPushReport> {
    private static final long serialVersionUID = 1L;

    /** The step's settings, as given (paths relative to the workspace). */
    record Settings(String branch, String expect, boolean contains, String since, String remote, String github,
            String githubApiUrl, String via, String timeout, String auditLog, boolean alertInconclusive)
            implements Serializable {}

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
    Outcome<VerifyPushReport> run(Path ws, Map<String, String> e) throws Exception {
        return new VerifyPush(settings(ws, e)).setEnv(e).call();
    }

    /** The step's settings as core takes them, in the workspace {@code ws} with the build's variables {@code e}. */
    @Override
    VerifyPushSettings settings(Path ws, Map<String, String> e) throws Exception {
        VerifyPushSettings.Builder b = VerifyPushSettings.builder().directory(ws);
        set(b, Key.BRANCH, s.branch());
        set(b, Key.EXPECT, s.expect());
        set(b, Key.CONTAINS, Boolean.toString(s.contains()));
        set(b, Key.SINCE, s.since());
        set(b, Key.REMOTE, s.remote());
        set(b, Key.GITHUB, s.github());
        set(b, Key.GITHUB_API_URL, s.githubApiUrl());
        set(b, Key.VIA, s.via());
        set(b, Key.TIMEOUT, s.timeout());
        set(b, Key.ALERT_INCONCLUSIVE, Boolean.toString(s.alertInconclusive()));
        if (s.auditLog() != null) {
            b.auditLog(ws.resolve(s.auditLog()));
        }
        // the credentials' token; without one, the build's own variables (withCredentials), as a sh step sees them
        b.githubToken(githubToken != null ? githubToken : RefReaders.githubToken(null, e))
                .gitToken(RefReaders.gitToken(null, e))
                .alertWebhook(alertWebhook != null ? alertWebhook : e.get(VerifyPush.ENV_ALERT_WEBHOOK));
        return b.build();
    }

    private static void set(VerifyPushSettings.Builder b, Key key, String value) {
        if (value != null) {
            b.set(key, value);
        }
    }

    @Override
    void render(Outcome<VerifyPushReport> o, LinkedHashMap<String, Object> m) {
        VerifyPushReport r = o.report();
        StepResult.put(m, "remoteSha", r == null ? null : r.after());
        StepResult.put(m, "expectedSha", r == null ? null : r.expected());
        StepResult.put(m, "branch", r == null ? null : shortName(r.ref()));
        StepResult.put(m, "ref", r == null ? null : r.ref());
        StepResult.put(m, "remote", r == null ? null : r.remote());
        StepResult.put(m, "eventId", r == null ? null : r.event());
    }

    private static String shortName(String ref) {
        return ref != null && ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : ref;
    }
}
