package dev.gatekeeper.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatekeeper.notify.NotifyEndpoint;
import dev.gatekeeper.stabilize.StabilizeSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One stabilize configuration, every setting a file takes unlike its default (not {@code dryRun}: a run's choice,
 * which the YAML reader refuses), written as each packaging writes it: the YAML file
 * here, the CLI's options ({@link #options}), and in the Jenkins and Action tests a step's parameters and an Action's
 * {@code args}. Each packaging's test builds its settings and asserts they are the record the YAML file gives
 * ({@link #assertSameSettings}): the same record, whichever way the settings came in.
 *
 * <p>Secrets are where each packaging keeps them (variables of {@link SettingsCatalog#ENV} here and in the CLI,
 * credentials in Jenkins), so where a secret came from is not compared; its value is.
 */
public final class OneStabilizeConfiguration {
    private OneStabilizeConfiguration() {}

    public static final String PROBE = "http://127.0.0.1:9400/health";
    public static final String TCP_PROBE = "tcp:127.0.0.1:5432";
    public static final String AUDIT_LOG = "/var/log/gatekeeper/audit.jsonl";

    /** The YAML file, as an operator writes it next to the deploy script. */
    public static final String YAML = """
            remote: upstream
            branch: release
            commit: HEAD~1
            wait: 90s
            confirmWait: 45s
            probes:
              - http: %s
              - %s
            probeTimeout: 7s
            expectStatus: 204
            bodyRegex: ready
            jsonField: status=UP
            headers: {X-Sample: SAMPLE_HEADER}
            samples: 7
            interval: 3s
            failureLimit: 2
            consecutiveErrorLimit: 9
            holdOnErrors: true
            deploy: systemctl restart app
            deployTimeout: 3m
            notify: [slack:SAMPLE_SLACK_URL]
            tokenSecretEnv: SAMPLE_SECRET
            repoName: team/app
            maxRevertsPerDay: 5
            auditLog: %s
            """.formatted(PROBE, TCP_PROBE, AUDIT_LOG);

    /** The same settings as the CLI's options (and the Action's {@code args}), run in {@code dir}. */
    public static List<String> options() {
        return List.of("--remote", "upstream", "--branch", "release", "--commit", "HEAD~1", "--wait", "90s",
                "--confirm-wait", "45s", "--probe", PROBE, "--probe", TCP_PROBE, "--probe-timeout", "7s",
                "--expect-status", "204", "--body-regex", "ready", "--json-field", "status=UP",
                "--header", "X-Sample=SAMPLE_HEADER", "--samples", "7", "--interval", "3s", "--failure-limit", "2",
                "--consecutive-error-limit", "9", "--hold-on-errors", "--deploy", "systemctl restart app",
                "--deploy-timeout", "3m", "--notify", "slack:SAMPLE_SLACK_URL", "--token-secret-env", "SAMPLE_SECRET",
                "--repo-name", "team/app", "--max-reverts-per-day", "5", "--audit-log", AUDIT_LOG);
    }

    /** The record the YAML file gives, for a run in {@code dir} (the file is written into {@code tmp}). */
    public static StabilizeSettings fromYaml(Path tmp, Path dir) throws IOException, SettingsException {
        Path file = tmp.resolve("stabilize.yaml");
        Files.writeString(file, YAML, StandardCharsets.UTF_8);
        return StabilizeSettings.builder().directory(dir).config(file, SettingsCatalog.ENV).build();
    }

    /** {@code actual} is {@code expected}, setting by setting; secrets by value, not by where they were kept. */
    public static void assertSameSettings(StabilizeSettings expected, StabilizeSettings actual) {
        assertEquals(comparable(expected), comparable(actual));
        assertEquals(expected.tokenSecret(), actual.tokenSecret(), "the pipeline secret's value");
    }

    private static StabilizeSettings comparable(StabilizeSettings s) {
        List<NotifyEndpoint> endpoints = s.notifications().stream()
                .map(n -> new NotifyEndpoint(n.kind(), n.url(), "compared by value")).toList();
        return new StabilizeSettings(s.directory(), s.remote(), s.branch(), s.commit(), s.waitFor(), s.confirmWait(),
                s.probes(), s.plan(), s.holdOnErrors(), s.deploy(), s.deployTimeout(), endpoints, null, s.repoName(),
                s.maxRevertsPerDay(), s.auditLog(), s.dryRun());
    }
}
