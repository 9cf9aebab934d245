package dev.gatekeeper.jenkins;

import dev.gatekeeper.notify.NotifyEndpoint;
import dev.gatekeeper.outcome.Outcome;
import dev.gatekeeper.settings.SecretSources;
import dev.gatekeeper.stabilize.ProbeSpec;
import dev.gatekeeper.stabilize.Stabilize;
import dev.gatekeeper.stabilize.StabilizeReport;
import dev.gatekeeper.stabilize.StabilizeSettings;
import dev.gatekeeper.stabilize.StabilizeSettings.Key;
import dev.gatekeeper.token.Secret;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs core's {@link Stabilize} in the workspace, on the agent that has it: the step's values become
 * {@link StabilizeSettings} there (paths resolve against the workspace), the secrets as values, straight from the
 * credentials read on the controller (and probe headers from the build's variables, as a {@code sh} step sees them).
 */
final class StabilizeCallable extends CoreCallable<StabilizeReport> {
    private static final long serialVersionUID = 1L;

    /** The step's settings, as given (paths relative to the workspace). */
    record Settings(ArrayList<Probe> probes, ArrayList<ProbeHeader> headers, String config, String branch, String remote, String commit,
            String waitFor, Integer samples, String interval, Integer failureLimit, Integer consecutiveErrorLimit,
            Boolean holdOnErrors, String probeTimeout, String expectStatus, String bodyRegex, String jsonField,
            String deploy, String deployTimeout, String confirmWait, String repoName, Integer maxRevertsPerDay,
            String auditLog, boolean dryRun) implements Serializable {}

    /**
     * Secret values from credentials, each with its credentials id for messages; null when not configured. Never
     * logged (GatekeeperLog masks them too).
     *
     * @param slack   {@code [kind, url, credentials id]}, as {@code discord} and {@code webhook}
     */
    record Secrets(String tokenSecret, String tokenSecretId, String[] slack, String[] discord, String[] webhook)
            implements Serializable {
        @Override
        public String toString() {
            return "Secrets[hidden]";
        }

        String[] values() {
            List<String> v = new ArrayList<>();
            v.add(tokenSecret);
            for (String[] n : new String[][] {slack, discord, webhook}) {
                if (n != null) {
                    v.add(n[1]);
                }
            }
            return v.toArray(String[]::new);
        }
    }

    private final Settings s;
    private final Secrets secrets;

    StabilizeCallable(Settings s, Map<String, String> env, GatekeeperLog log, Secrets secrets) {
        super("stabilize", env, log);
        this.s = s;
        this.secrets = secrets;
    }

    @Override
    Outcome<StabilizeReport> run(Path ws, Map<String, String> e) throws Exception {
        return new Stabilize(settings(ws, e)).setEnv(e).setProgress(log::println).call();
    }

    /** The step's settings as core takes them, in the workspace {@code ws} with the build's variables {@code e}. */
    @Override
    StabilizeSettings settings(Path ws, Map<String, String> e) throws Exception {
        StabilizeSettings.Builder b = StabilizeSettings.builder().directory(ws);
        if (s.config() != null) {
            b.config(ws.resolve(s.config()), e);
        }
        if (!s.probes().isEmpty()) {
            List<ProbeSpec> specs = new ArrayList<>();
            for (Probe p : s.probes()) {
                try {
                    specs.add(p.spec(e));
                } catch (IllegalArgumentException bad) {
                    b.problem(Key.PROBES, bad.getMessage());
                }
            }
            b.probeSpecs(specs);
        }
        for (ProbeHeader h : s.headers()) {
            try {
                b.header(h.getName(), SecretSources.variable(e, h.getVariable(), "header " + h.getName()));
            } catch (IllegalArgumentException bad) {
                b.problem(Key.HEADERS, bad.getMessage());
            }
        }
        set(b, Key.BRANCH, s.branch());
        set(b, Key.REMOTE, s.remote());
        set(b, Key.COMMIT, s.commit());
        set(b, Key.WAIT, s.waitFor());
        set(b, Key.SAMPLES, s.samples());
        set(b, Key.INTERVAL, s.interval());
        set(b, Key.FAILURE_LIMIT, s.failureLimit());
        set(b, Key.CONSECUTIVE_ERROR_LIMIT, s.consecutiveErrorLimit());
        set(b, Key.HOLD_ON_ERRORS, s.holdOnErrors());
        set(b, Key.PROBE_TIMEOUT, s.probeTimeout());
        set(b, Key.EXPECT_STATUS, s.expectStatus());
        set(b, Key.BODY_REGEX, s.bodyRegex());
        set(b, Key.JSON_FIELD, s.jsonField());
        set(b, Key.DEPLOY, s.deploy());
        set(b, Key.DEPLOY_TIMEOUT, s.deployTimeout());
        set(b, Key.CONFIRM_WAIT, s.confirmWait());
        set(b, Key.REPO_NAME, s.repoName());
        set(b, Key.MAX_REVERTS_PER_DAY, s.maxRevertsPerDay());
        set(b, Key.DRY_RUN, s.dryRun() ? Boolean.TRUE : null);
        if (s.auditLog() != null) {
            b.auditLog(ws.resolve(s.auditLog()));
        }
        if (secrets.tokenSecret() != null) {
            b.tokenSecret(Secret.of(secrets.tokenSecret().getBytes(StandardCharsets.UTF_8),
                    "credentials '" + secrets.tokenSecretId() + "'"));
        }
        List<NotifyEndpoint> endpoints = new ArrayList<>();
        for (String[] n : new String[][] {secrets.slack(), secrets.discord(), secrets.webhook()}) {
            if (n != null) {
                try {
                    endpoints.add(new NotifyEndpoint(n[0], n[1], "credentials '" + n[2] + "'"));
                } catch (IllegalArgumentException bad) {
                    b.problem(Key.NOTIFY, bad.getMessage());
                }
            }
        }
        if (!endpoints.isEmpty()) {
            b.notify(endpoints); // replaces the config file's list, as the CLI's --notify does
        }
        return b.build();
    }

    private static void set(StabilizeSettings.Builder b, Key key, Object value) {
        if (value != null) {
            b.set(key, value.toString());
        }
    }

    @Override
    void render(Outcome<StabilizeReport> o, LinkedHashMap<String, Object> m) {
        StabilizeReport r = o.report();
        StepResult.put(m, "summary", o.summary());
        StepResult.put(m, "commit", r == null ? null : r.commit());
        StepResult.put(m, "ref", r == null ? null : r.ref());
        StepResult.put(m, "revertSha", r == null ? null : r.revert());
        StepResult.put(m, "branchTip", r == null ? null : r.branchTip());
    }
}
