package dev.gatekeeper.settings;

import dev.gatekeeper.drift.DriftScanSettings;
import dev.gatekeeper.stabilize.StabilizeSettings;
import dev.gatekeeper.verify.VerifyPushSettings;
import java.util.EnumMap;
import java.util.Map;

/**
 * For the parity tests of every packaging (CLI, Jenkins steps, GitHub Action): each command's settings, and for each
 * a sample value unlike its default, as a packaging is given it. A packaging has a setting when giving it the sample
 * changes the settings it builds. A key added to a settings record without a sample here fails every parity test,
 * so a new setting is never silently missing from a packaging.
 *
 * <p>Secrets are given by where they live, as the packagings that read them from the environment do: the samples of
 * secret settings name variables of {@link #ENV}.
 */
public final class SettingsCatalog {
    private SettingsCatalog() {}

    /** The variables the secret samples name. */
    public static final Map<String, String> ENV = Map.of(
            "SAMPLE_HEADER", "Bearer sample-header-value",
            "SAMPLE_SLACK_URL", "https://hooks.slack.example/services/T0/B0/sample",
            "SAMPLE_SECRET", "sample-pipeline-secret-0123456789",
            "SAMPLE_GITHUB_TOKEN", "ghs_sampleGitHubToken",
            "SAMPLE_ALERT_URL", "https://alerts.example/hook/sample");

    /** A command whose settings are checked, with the probe (stabilize) or target (drift) every build needs. */
    public enum Command {
        STABILIZE(StabilizeSettings.Key.values()),
        DRIFT_SCAN(DriftScanSettings.Key.values()),
        VERIFY_PUSH(VerifyPushSettings.Key.values());

        private final SettingKey[] keys;

        Command(SettingKey[] keys) {
            this.keys = keys;
        }

        public SettingKey[] keys() {
            return keys.clone();
        }
    }

    /** The HTTP probe stabilize's baseline has, so the shared HTTP checks show on it. */
    public static final String BASE_PROBE = "http://127.0.0.1:9/health";
    /** The checkout drift's baseline scans. */
    public static final String BASE_CHECKOUT = "base";

    public static final Map<StabilizeSettings.Key, String> STABILIZE = stabilize();
    public static final Map<DriftScanSettings.Key, String> DRIFT_SCAN = driftScan();
    public static final Map<VerifyPushSettings.Key, String> VERIFY_PUSH = verifyPush();

    /** The sample of {@code key}; fails for a key without one. */
    public static String sample(SettingKey key) {
        String s = key instanceof StabilizeSettings.Key k ? STABILIZE.get(k)
                : key instanceof DriftScanSettings.Key k ? DRIFT_SCAN.get(k)
                : key instanceof VerifyPushSettings.Key k ? VERIFY_PUSH.get(k) : null;
        if (s == null) {
            throw new AssertionError("no sample for the setting " + key.key() + " (" + key.getClass().getName()
                    + "): add one to SettingsCatalog, and the setting to every packaging");
        }
        return s;
    }

    private static Map<StabilizeSettings.Key, String> stabilize() {
        Map<StabilizeSettings.Key, String> m = new EnumMap<>(StabilizeSettings.Key.class);
        m.put(StabilizeSettings.Key.DIR, "elsewhere");
        m.put(StabilizeSettings.Key.REMOTE, "upstream");
        m.put(StabilizeSettings.Key.BRANCH, "release");
        m.put(StabilizeSettings.Key.COMMIT, "HEAD~1");
        m.put(StabilizeSettings.Key.WAIT, "90s");
        m.put(StabilizeSettings.Key.CONFIRM_WAIT, "45s");
        m.put(StabilizeSettings.Key.PROBES, "tcp:127.0.0.1:9");
        m.put(StabilizeSettings.Key.PROBE_TIMEOUT, "7s");
        m.put(StabilizeSettings.Key.EXPECT_STATUS, "204");
        m.put(StabilizeSettings.Key.BODY_REGEX, "ready");
        m.put(StabilizeSettings.Key.JSON_FIELD, "status=UP");
        m.put(StabilizeSettings.Key.HEADERS, "X-Sample=SAMPLE_HEADER");
        m.put(StabilizeSettings.Key.SAMPLES, "7");
        m.put(StabilizeSettings.Key.INTERVAL, "3s");
        m.put(StabilizeSettings.Key.FAILURE_LIMIT, "2");
        m.put(StabilizeSettings.Key.CONSECUTIVE_ERROR_LIMIT, "9");
        m.put(StabilizeSettings.Key.HOLD_ON_ERRORS, "true");
        m.put(StabilizeSettings.Key.DEPLOY, "./deploy.sh");
        m.put(StabilizeSettings.Key.DEPLOY_TIMEOUT, "3m");
        m.put(StabilizeSettings.Key.NOTIFY, "slack:SAMPLE_SLACK_URL");
        m.put(StabilizeSettings.Key.TOKEN_SECRET, "SAMPLE_SECRET");
        m.put(StabilizeSettings.Key.REPO_NAME, "team/app");
        m.put(StabilizeSettings.Key.MAX_REVERTS_PER_DAY, "5");
        m.put(StabilizeSettings.Key.AUDIT_LOG, "audit.jsonl");
        m.put(StabilizeSettings.Key.DRY_RUN, "true");
        return m;
    }

    private static Map<DriftScanSettings.Key, String> driftScan() {
        Map<DriftScanSettings.Key, String> m = new EnumMap<>(DriftScanSettings.Key.class);
        m.put(DriftScanSettings.Key.CHECKOUTS, "deploy@main");
        m.put(DriftScanSettings.Key.BARES, "srv/app.git");
        m.put(DriftScanSettings.Key.GITHUB_REPOS, "acme/app@main");
        m.put(DriftScanSettings.Key.GITHUB_API_URL, "https://ghe.example.com/api/v3");
        m.put(DriftScanSettings.Key.GITHUB_TOKEN, "SAMPLE_GITHUB_TOKEN");
        m.put(DriftScanSettings.Key.SHARD, "2/3");
        m.put(DriftScanSettings.Key.PARALLEL, "3");
        m.put(DriftScanSettings.Key.HEAL, "true");
        m.put(DriftScanSettings.Key.INCREMENTAL, "false");
        m.put(DriftScanSettings.Key.STATE_FILE, "state.json");
        m.put(DriftScanSettings.Key.ALERT_WEBHOOK, "SAMPLE_ALERT_URL");
        return m;
    }

    private static Map<VerifyPushSettings.Key, String> verifyPush() {
        Map<VerifyPushSettings.Key, String> m = new EnumMap<>(VerifyPushSettings.Key.class);
        m.put(VerifyPushSettings.Key.DIR, "elsewhere");
        m.put(VerifyPushSettings.Key.EXPECT, "HEAD~1");
        m.put(VerifyPushSettings.Key.CONTAINS, "true");
        m.put(VerifyPushSettings.Key.SINCE, "0123456789abcdef0123456789abcdef01234567");
        m.put(VerifyPushSettings.Key.REMOTE, "upstream");
        m.put(VerifyPushSettings.Key.BRANCH, "release");
        m.put(VerifyPushSettings.Key.GITHUB, "acme/app");
        m.put(VerifyPushSettings.Key.GITHUB_API_URL, "https://ghe.example.com/api/v3");
        m.put(VerifyPushSettings.Key.GITHUB_TOKEN, "SAMPLE_GITHUB_TOKEN");
        m.put(VerifyPushSettings.Key.GIT_TOKEN, "SAMPLE_GITHUB_TOKEN");
        m.put(VerifyPushSettings.Key.VIA, "github");
        m.put(VerifyPushSettings.Key.TIMEOUT, "2m");
        m.put(VerifyPushSettings.Key.AUDIT_LOG, "audit.jsonl");
        m.put(VerifyPushSettings.Key.ALERT_WEBHOOK, "SAMPLE_ALERT_URL");
        m.put(VerifyPushSettings.Key.ALERT_INCONCLUSIVE, "true");
        m.put(VerifyPushSettings.Key.COMMAND, "./agent.sh");
        return m;
    }
}
