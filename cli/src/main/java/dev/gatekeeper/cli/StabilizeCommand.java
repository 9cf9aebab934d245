package dev.gatekeeper.cli;

import dev.gatekeeper.notify.NotifyEndpoint;
import dev.gatekeeper.outcome.Outcome;
import dev.gatekeeper.settings.KeyStyle;
import dev.gatekeeper.settings.SecretSources;
import dev.gatekeeper.settings.SettingsException;
import dev.gatekeeper.stabilize.Stabilize;
import dev.gatekeeper.stabilize.StabilizeReport;
import dev.gatekeeper.stabilize.StabilizeSettings;
import dev.gatekeeper.stabilize.StabilizeSettings.Key;
import dev.gatekeeper.watch.MonitoredRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gatekeeper stabilize}: fills {@link StabilizeSettings} (the YAML file first, then the options, the secrets
 * read from the variables and files they name) and prints {@link Stabilize}'s outcome.
 */
@Command(name = "stabilize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"After a merge: wait, probe the service, and if the merge broke it, revert it in git, "
                + "redeploy, probe again and say so.",
            "Exit: 0 healthy, 4 probes inconclusive (nothing done), 5 reverted and recovered, 6 a human must act "
                + "(conflict, nothing to revert, loop guard, daily cap, push or deploy failed, still failing), "
                + "3 dry run would revert."})
public final class StabilizeCommand implements Callable<Integer>, ReportsRun {
    /** The settings whose option is not {@code --} and the key in kebab-case. */
    public static final KeyStyle NAMES = KeyStyle.CLI.with(Map.of("dir", "-C/--dir", "probes", "--probe",
            "headers", "--header", "tokenSecret", "--token-secret-env/--token-secret-file"));

    @Spec CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML file with the same settings (options win)")
    Path config;
    @Option(names = {"-C", "--dir"}, paramLabel = "DIR", description = "the working clone (default: .)")
    Path dir;
    @Option(names = "--remote", paramLabel = "NAME", description = "remote to fetch and push (default: origin)")
    String remote;
    @Option(names = {"-b", "--branch"}, paramLabel = "NAME", description = "branch (default: the checked-out one)")
    String branch;
    @Option(names = "--commit", paramLabel = "REV", description = "the merged commit (default: the branch tip)")
    String commit;
    @Option(names = "--wait", paramLabel = "DURATION", description = "stabilization wait before probing (default 60s)")
    String waitFor;
    @Option(names = "--confirm-wait", paramLabel = "DURATION",
            description = "wait after the redeploy before probing again (default: --wait)")
    String confirmWait;

    @Option(names = {"-p", "--probe"}, paramLabel = "SPEC",
            description = "http:[METHOD:]URL, tcp:HOST:PORT or 'cmd:COMMAND' (repeatable)")
    List<String> probes = new ArrayList<>();
    @Option(names = "--expect-status", paramLabel = "RANGE", description = "HTTP status range (default 200-399)")
    String expectStatus;
    @Option(names = "--body-regex", paramLabel = "REGEX", description = "HTTP body must match this regex")
    String bodyRegex;
    @Option(names = "--json-field", paramLabel = "FIELD=VALUE", description = "HTTP JSON body field must equal VALUE")
    String jsonField;
    @Option(names = "--header", paramLabel = "NAME=ENVVAR",
            description = "HTTP header whose value is read from $ENVVAR (repeatable)")
    List<String> headers = new ArrayList<>();
    @Option(names = "--probe-timeout", paramLabel = "DURATION", description = "per measurement (default 5s)")
    String probeTimeout;

    @Option(names = "--samples", paramLabel = "N", description = "measurements per probe (default 3)")
    String samples;
    @Option(names = "--interval", paramLabel = "DURATION", description = "between measurements (default 5s)")
    String interval;
    @Option(names = "--failure-limit", paramLabel = "N", description = "failures tolerated (default 0)")
    String failureLimit;
    @Option(names = "--consecutive-error-limit", paramLabel = "N",
            description = "errors in a row tolerated; past it the run fails and reverts (default 4)")
    String consecutiveErrorLimit;
    @Option(names = "--hold-on-errors", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
            description = "errors past --consecutive-error-limit hold (exit 4) instead of reverting (default false;"
                    + " a refused connection is a failure either way)")
    String holdOnErrors;

    @Option(names = "--deploy", paramLabel = "COMMAND", description = "redeploy after the revert (sh -c)")
    String deploy;
    @Option(names = "--deploy-timeout", paramLabel = "DURATION", description = "default 10m")
    String deployTimeout;
    @Option(names = "--token-secret-env", paramLabel = "NAME",
            description = "variable holding the pipeline secret: the revert push carries a token")
    String tokenSecretEnv;
    @Option(names = "--token-secret-file", paramLabel = "FILE", description = "file holding the pipeline secret")
    Path tokenSecretFile;
    @Option(names = "--repo-name", paramLabel = "NAME",
            description = "repository name the gate knows (default: from the remote URL)")
    String repoName;
    @Option(names = "--max-reverts-per-day", paramLabel = "N",
            description = "automatic reverts per branch in 24 h before stopping and paging (default 3)")
    String maxRevertsPerDay;

    @Option(names = "--notify", paramLabel = "KIND:ENVVAR",
            description = "slack:VAR, discord:VAR or webhook:VAR; the URL is read from $VAR (repeatable)")
    List<String> notify = new ArrayList<>();
    @Option(names = "--audit-log", paramLabel = "FILE",
            description = "audit log (default: $GATEKEEPER_AUDIT_LOG, else .git/gatekeeper/events.jsonl)")
    Path auditLog;
    @Option(names = "--dry-run", description = "probe and print what would be done; write nothing")
    boolean dryRun;
    @Option(names = "--json", description = "print the outcome as one JSON object")
    boolean json;

    private Outcome<StabilizeReport> outcome;

    @Override
    public Integer call() {
        Map<String, String> env = System.getenv();
        PrintWriter err = spec.commandLine().getErr();
        outcome = CliOutcome.run(NAMES, () -> new Stabilize(settings(env)).setEnv(env).setProgress(line -> {
            if (!Logging.quiet()) { // --quiet: the story's progress is no error
                err.println("gatekeeper: " + line);
                err.flush();
            }
        }).call());
        return CliOutcome.print("stabilize", outcome, json, spec.commandLine().getOut(), err);
    }

    /** The run's summary and its audit log (reverts pushed, revert failures, the incident's durations). */
    @Override
    public MonitoredRun.Facts runFacts() {
        if (outcome == null) {
            return MonitoredRun.Facts.NONE;
        }
        return MonitoredRun.Facts.of(outcome.summary(), outcome.report() == null ? null
                : outcome.report().auditLog());
    }

    /**
     * The settings: {@code --config} first, then every option given; the secrets read from the variables and files
     * the options name. Public for the GitHub Action, whose {@code args} are these options.
     */
    public StabilizeSettings settings(Map<String, String> env) throws SettingsException {
        StabilizeSettings.Builder b = StabilizeSettings.builder();
        if (config != null) {
            b.config(config, env);
        }
        if (dir != null) {
            b.directory(dir);
        }
        set(b, Key.REMOTE, remote);
        set(b, Key.BRANCH, branch);
        set(b, Key.COMMIT, commit);
        set(b, Key.WAIT, waitFor);
        set(b, Key.CONFIRM_WAIT, confirmWait);
        if (!probes.isEmpty()) {
            b.probes(probes);
        }
        set(b, Key.EXPECT_STATUS, expectStatus);
        set(b, Key.BODY_REGEX, bodyRegex);
        set(b, Key.JSON_FIELD, jsonField);
        for (String h : headers) {
            try {
                String[] nameValue = SecretSources.header(env, h);
                b.header(nameValue[0], nameValue[1]);
            } catch (IllegalArgumentException e) {
                b.problem(Key.HEADERS, e.getMessage());
            }
        }
        set(b, Key.PROBE_TIMEOUT, probeTimeout);
        set(b, Key.SAMPLES, samples);
        set(b, Key.INTERVAL, interval);
        set(b, Key.FAILURE_LIMIT, failureLimit);
        set(b, Key.CONSECUTIVE_ERROR_LIMIT, consecutiveErrorLimit);
        set(b, Key.HOLD_ON_ERRORS, holdOnErrors);
        set(b, Key.DEPLOY, deploy);
        set(b, Key.DEPLOY_TIMEOUT, deployTimeout);
        if (tokenSecretEnv != null || tokenSecretFile != null) {
            try {
                b.tokenSecret(SecretSources.secret(env, tokenSecretEnv, tokenSecretFile));
            } catch (IllegalArgumentException e) {
                b.problem(Key.TOKEN_SECRET, e.getMessage());
            }
        }
        set(b, Key.REPO_NAME, repoName);
        set(b, Key.MAX_REVERTS_PER_DAY, maxRevertsPerDay);
        if (!notify.isEmpty()) {
            List<NotifyEndpoint> endpoints = new ArrayList<>();
            for (String n : notify) {
                try {
                    endpoints.add(SecretSources.notify(env, n));
                } catch (IllegalArgumentException e) {
                    b.problem(Key.NOTIFY, e.getMessage());
                }
            }
            b.notify(endpoints);
        }
        if (auditLog != null) {
            b.auditLog(auditLog);
        }
        if (dryRun) {
            b.set(Key.DRY_RUN, "true");
        }
        return b.build();
    }

    private static void set(StabilizeSettings.Builder b, Key key, String value) {
        if (value != null) {
            b.set(key, value);
        }
    }
}
