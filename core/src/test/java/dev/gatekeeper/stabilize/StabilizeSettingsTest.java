package dev.gatekeeper.stabilize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.settings.KeyStyle;
import dev.gatekeeper.settings.Problem;
import dev.gatekeeper.settings.SettingsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StabilizeSettingsTest {
    @TempDir
    Path tmp;

    private static final Map<String, String> ENV = Map.of("HEALTH_AUTH", "Bearer s3cret",
            "SLACK_URL", "https://hooks.slack.example/T1", "HOOK_URL", "http://127.0.0.1:9/hook",
            "PIPELINE_SECRET", "0123456789abcdef0123");

    @Test
    void readsEveryKindOfProbeThePlanAndTheSecretsByWhereTheyLive() throws Exception {
        Path f = Files.writeString(tmp.resolve("stabilize.yaml"), String.join("\n",
                "branch: main",
                "wait: 30s",
                "samples: 5",
                "interval: 2s",
                "failureLimit: 1",
                "probes:",
                "  - http: http://127.0.0.1:8080/health",
                "    method: HEAD",
                "    status: 200-204",
                "    json: status=UP",
                "    timeout: 2s",
                "    headers: {Authorization: HEALTH_AUTH}",
                "  - tcp: 127.0.0.1:5432",
                "  - 'cmd:true'",
                "deploy: systemctl restart app",
                "notify: [slack:SLACK_URL, webhook:HOOK_URL]",
                "tokenSecretEnv: PIPELINE_SECRET",
                "auditLog: logs/events.jsonl",
                ""));
        StabilizeSettings s = StabilizeSettings.builder().config(f, ENV).build();
        assertEquals("main", s.branch());
        assertEquals(Duration.ofSeconds(30), s.waitFor());
        assertEquals(new SamplingPlan(5, Duration.ofSeconds(2), 1, 4), s.plan());
        assertEquals(List.of("http HEAD http://127.0.0.1:8080/health", "tcp 127.0.0.1:5432", "cmd true"),
                s.probes().stream().map(ProbeSpec::name).toList());
        assertEquals(List.of("slack ($SLACK_URL)", "webhook ($HOOK_URL)"),
                s.notifications().stream().map(Object::toString).toList(), "no URL in a message");
        assertEquals("environment variable PIPELINE_SECRET", s.tokenSecret().origin());
        assertEquals(tmp.resolve("logs/events.jsonl"), s.auditLog(), "relative to the file's folder");
    }

    @Test
    void optionsGivenAfterTheFileWinAndEachNumberReplacesOnlyItsPartOfThePlan() throws Exception {
        Path f = Files.writeString(tmp.resolve("s.yaml"), "samples: 5\ninterval: 2s\nfailureLimit: 1\n"
                + "consecutiveErrorLimit: 7\nprobes: ['tcp:127.0.0.1:1']\n");
        StabilizeSettings s = StabilizeSettings.builder().config(f, ENV)
                .set(StabilizeSettings.Key.SAMPLES, "9").build();
        assertEquals(new SamplingPlan(9, Duration.ofSeconds(2), 1, 7), s.plan());
        assertEquals(List.of("tcp 127.0.0.1:1"), s.probes().stream().map(ProbeSpec::name).toList(),
                "no probes given: the file's stay");
        StabilizeSettings replaced = StabilizeSettings.builder().config(f, ENV)
                .probes(List.of("http:HEAD:http://127.0.0.1:9/health", "cmd:true")).build();
        assertEquals(List.of("http HEAD http://127.0.0.1:9/health", "cmd true"),
                replaced.probes().stream().map(ProbeSpec::name).toList(), "probes given replace the file's");
    }

    @Test
    void theSharedHttpChecksApplyWhereAProbeHasNoneOfItsOwn() throws Exception {
        Path f = Files.writeString(tmp.resolve("s.yaml"), String.join("\n",
                "probeTimeout: 1s",
                "expectStatus: '204'",
                "probes:",
                "  - http: http://127.0.0.1:9/own",
                "    status: 200-299",
                "    timeout: 3s",
                "  - http: http://127.0.0.1:9/shared",
                "  - 'cmd:true'",
                ""));
        StabilizeSettings s = StabilizeSettings.builder().config(f, ENV).header("X-Token", "v").build();
        ProbeSpec own = s.probes().get(0);
        ProbeSpec shared = s.probes().get(1);
        assertEquals("http GET http://127.0.0.1:9/own (status 200-299, headers [X-Token], timeout 3s)",
                own.describe());
        assertEquals("http GET http://127.0.0.1:9/shared (status 204, headers [X-Token], timeout 1s)",
                shared.describe());
        assertEquals("cmd true (timeout 1s)", s.probes().get(2).describe(), "a command probe takes the timeout only");
    }

    @Test
    void everyProblemInAFileIsReportedAtOnceWithItsPlaceAndADuplicateKeyIsOne() throws Exception {
        Path f = Files.writeString(tmp.resolve("bad.yaml"), String.join("\n",
                "wait: 60s",
                "probe: http://x",
                "wait: 0s",
                "holdOnErrors: sometimes",
                "maxRevertsPerDay: 0",
                "notify: [slack:UNSET_URL]",
                "probes:",
                "  - http: http://127.0.0.1/h",
                "    headers: {Authorization: UNSET_AUTH}",
                "  - ftp: nope",
                ""));
        SettingsException e = assertThrows(SettingsException.class,
                () -> StabilizeSettings.builder().config(f, ENV));
        assertEquals(ExitCode.USAGE, e.exitCode());
        List<String> lines = e.problems().stream().map(p -> p.line() + " " + p.key() + ": " + p.message()).toList();
        assertEquals(List.of(
                "2 probe: unknown key",
                "3 wait: duplicate key",
                "4 holdOnErrors: invalid value 'sometimes'",
                "5 maxRevertsPerDay: invalid value '0'",
                "6 notify: $UNSET_URL (slack:UNSET_URL) is not set",
                "9 Authorization: $UNSET_AUTH (header Authorization) is not set",
                "10 ftp: unknown key",
                "10 probes: a probe needs exactly one of http, tcp, cmd (has [])"), lines);
        assertTrue(e.problems().stream().allMatch(p -> p.file().equals(f.toString())));
    }

    @Test
    void aBadOptionNamesItsSettingAsTheAdapterDoesAndAllOfThemAtOnce() {
        SettingsException e = assertThrows(SettingsException.class, () -> StabilizeSettings.builder()
                .set(StabilizeSettings.Key.WAIT, "soon").set(StabilizeSettings.Key.MAX_REVERTS_PER_DAY, "0")
                .probes(List.of("ftp:x")).build());
        assertEquals(List.of("--wait: invalid value 'soon' (allowed: a duration such as 500ms, 30s, 15m, 1h or 1d)",
                "--max-reverts-per-day: invalid value '0' (allowed: a whole number from 1 to 100)",
                "--probes: 'ftp:x': expected http:[METHOD:]URL, tcp:HOST:PORT or cmd:COMMAND"),
                e.problems().stream().map(p -> p.render(KeyStyle.CLI)).toList());
        assertTrue(e.render(KeyStyle.JENKINS).startsWith("wait: invalid value 'soon'"), e.render(KeyStyle.JENKINS));
        SettingsException none = assertThrows(SettingsException.class, () -> StabilizeSettings.builder().build());
        assertEquals(List.of(Problem.of("probes", "at least one probe is required",
                "http:[METHOD:]URL, tcp:HOST:PORT or cmd:COMMAND")), none.problems());
    }

    @Test
    void aPackagingChecksOneValueWhenItIsConfigured() {
        assertEquals("90s", StabilizeSettings.check(StabilizeSettings.Key.WAIT, " 90s "));
        assertNull(StabilizeSettings.check(StabilizeSettings.Key.WAIT, " "), "blank: not given");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> StabilizeSettings.check(StabilizeSettings.Key.BODY_REGEX, "(unclosed"));
        assertTrue(bad.getMessage().startsWith("'bodyRegex': invalid value '(unclosed'")
                || bad.getMessage().startsWith("bodyRegex: invalid value '(unclosed'"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StabilizeSettings.checkProbes(List.of("http:nope")));
    }
}
