package dev.gatekeeper.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.notify.NotifyTarget;
import dev.gatekeeper.stabilize.SamplingPlan;
import dev.gatekeeper.stabilize.Stabilize;
import dev.gatekeeper.stabilize.StabilizeConfig;
import dev.gatekeeper.stabilize.StabilizeOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gatekeeper stabilize}: a thin adapter over {@link Stabilize}; the YAML file first, then the options. */
@Command(name = "stabilize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"After a merge: wait, probe the service, and if the merge broke it, revert it in git, "
                + "redeploy, probe again and say so.",
            "Exit: 0 healthy, 4 probes inconclusive (nothing done), 5 reverted and recovered, 6 a human must act "
                + "(conflict, nothing to revert, loop guard, daily cap, push or deploy failed, still failing), "
                + "3 dry run would revert."})
final class StabilizeCommand implements Callable<Integer>, ReportsRun {
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
    Integer samples;
    @Option(names = "--interval", paramLabel = "DURATION", description = "between measurements (default 5s)")
    String interval;
    @Option(names = "--failure-limit", paramLabel = "N", description = "failures tolerated (default 0)")
    Integer failureLimit;
    @Option(names = "--consecutive-error-limit", paramLabel = "N",
            description = "errors in a row tolerated; past it the run fails and reverts (default 4)")
    Integer consecutiveErrorLimit;
    @Option(names = "--hold-on-errors", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
            description = "errors past --consecutive-error-limit hold (exit 4) instead of reverting (default false;"
                    + " a refused connection is a failure either way)")
    Boolean holdOnErrors;

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
    Integer maxReverts;

    @Option(names = "--notify", paramLabel = "KIND:ENVVAR",
            description = "slack:VAR, discord:VAR or webhook:VAR; the URL is read from $VAR (repeatable)")
    List<String> notify = new ArrayList<>();
    @Option(names = "--audit-log", paramLabel = "FILE",
            description = "audit log (default: $GATEKEEPER_AUDIT_LOG, else .git/gatekeeper/events.jsonl)")
    Path auditLog;
    @Option(names = "--dry-run", description = "probe and print what would be done; write nothing")
    boolean dryRun;
    @Option(names = "--json", description = "print the result as one JSON object")
    boolean json;

    @Override
    public Integer call() throws GatekeeperException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        Stabilize s = new Stabilize().setEnv(System.getenv()).setDirectory(Path.of("."))
                .setProgress(line -> {
                    if (!Logging.quiet()) { // --quiet: the story's progress is no error
                        err.println("gatekeeper: " + line);
                        err.flush();
                    }
                });
        SamplingPlan[] plan = {SamplingPlan.DEFAULT};
        if (config != null) {
            StabilizeConfig.load(config).applyTo(s, plan);
        }
        try {
            apply(s, plan);
        } catch (IllegalArgumentException e) {
            throw new GatekeeperException(ExitCode.USAGE, e.getMessage());
        }
        Stabilize.Result r = s.call();
        result = r;
        for (String w : r.warnings()) {
            err.println("gatekeeper stabilize: warning: " + w);
        }
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? json(r.report()) : "gatekeeper stabilize: " + r.summary());
        out.flush();
        return r.exitCode().code();
    }

    private Stabilize.Result result;

    /** The run's summary and its audit log (reverts pushed, revert failures, the incident's durations). */
    @Override
    public dev.gatekeeper.watch.MonitoredRun.Facts runFacts() {
        return result == null ? dev.gatekeeper.watch.MonitoredRun.Facts.NONE
                : new dev.gatekeeper.watch.MonitoredRun.Facts(result.summary(), Map.of(),
                        result.auditLog() == null ? List.of() : List.of(result.auditLog()));
    }

    private void apply(Stabilize s, SamplingPlan[] plan) {
        if (dir != null) {
            s.setDirectory(dir);
        }
        if (remote != null) {
            s.setRemote(remote);
        }
        if (branch != null) {
            s.setBranch(branch);
        }
        if (commit != null) {
            s.setCommit(commit);
        }
        // probes with their HTTP extras, the plan numbers and the durations combine with the file in core
        new StabilizeOptions().setNames(StabilizeCommand::option).setProbes(probes).setProbeTimeout(probeTimeout)
                .setExpectStatus(expectStatus).setBodyRegex(bodyRegex).setJsonField(jsonField).setHeaders(headers)
                .setSamples(samples).setInterval(interval).setFailureLimit(failureLimit)
                .setConsecutiveErrorLimit(consecutiveErrorLimit).setWait(waitFor).setConfirmWait(confirmWait)
                .setDeployTimeout(deployTimeout).applyTo(s, plan[0]);
        if (deploy != null) {
            s.setDeploy(deploy);
        }
        if (tokenSecretEnv != null) {
            s.setTokenSecretEnv(tokenSecretEnv);
        }
        if (tokenSecretFile != null) {
            s.setTokenSecretFile(tokenSecretFile);
        }
        if (repoName != null) {
            s.setRepoName(repoName);
        }
        if (maxReverts != null) {
            s.setDailyCap(maxReverts);
        }
        if (holdOnErrors != null) {
            s.setHoldOnErrors(holdOnErrors);
        }
        if (!notify.isEmpty()) {
            List<NotifyTarget> targets = new ArrayList<>();
            for (String n : notify) {
                targets.add(NotifyTarget.parse(n));
            }
            s.setNotify(targets);
        }
        if (auditLog != null) {
            s.setAuditLog(auditLog);
        }
        s.setDryRun(dryRun);
    }

    /** A setting's name as this command's option: {@code probeTimeout} → {@code --probe-timeout}. */
    static String option(String setting) {
        return "--" + setting.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
    }

    static String json(Map<String, String> report) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            for (Map.Entry<String, String> e : report.entrySet()) {
                String k = e.getKey();
                if (k.equals("exit") || k.equals("threshold_to_push_ms") || k.equals("deploy_exit")
                        || k.equals("revert_ms")) {
                    g.writeNumberField(k, Long.parseLong(e.getValue()));
                } else if (k.equals("dry_run")) {
                    g.writeBooleanField(k, Boolean.parseBoolean(e.getValue()));
                } else {
                    g.writeStringField(k, e.getValue());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return w.toString();
    }
}
