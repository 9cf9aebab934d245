package dev.gatekeeper.cli;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.drift.DriftConfig;
import dev.gatekeeper.drift.DriftReportFormat;
import dev.gatekeeper.drift.DriftScan;
import dev.gatekeeper.drift.Finding;
import dev.gatekeeper.drift.Target;
import dev.gatekeeper.drift.TargetSpecs;
import dev.gatekeeper.gate.GateEnvironment;
import dev.gatekeeper.notify.WebhookNotifier;
import dev.gatekeeper.watch.MonitoredRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "drift", mixinStandardHelpOptions = true,
        description = "Find what bypassed the pipeline: deployed checkouts, bare repositories, GitHub protection.",
        subcommands = {DriftCommand.Scan.class})
final class DriftCommand {

    @Command(name = "scan", mixinStandardHelpOptions = true,
            description = {"Scan the targets of --config and/or the command line. Prints nothing when everything is "
                    + "clean (fits cron). Exit 0 clean, 3 drift found, 4 a target could not be scanned (and no "
                    + "drift), 2 bad options or config."})
    static final class Scan implements Callable<Integer>, ReportsRun {
        @Spec CommandSpec spec;
        @Option(names = "--config", paramLabel = "FILE", description = "drift.yaml naming the targets")
        Path config;
        @Option(names = "--checkout", paramLabel = "DIR[@BRANCH]", description = "a deployed checkout")
        List<String> checkouts = List.of();
        @Option(names = "--bare", paramLabel = "DIR", description = "a bare repository on the git server")
        List<Path> bares = List.of();
        @Option(names = "--github", paramLabel = "OWNER/REPO[@BRANCH]", description = "a GitHub repository "
                + "(default branch main, default baseline: 1 review, admins enforced, no force-push, no deletion)")
        List<String> githubs = List.of();
        @ArgGroup(exclusive = true)
        Format format = new Format();
        @Option(names = "--heal", description = "act: save then restore dirty checkouts, reinstall hooks")
        boolean heal;
        @Option(names = "--state", paramLabel = "FILE", description = "state between runs (default: "
                + "$XDG_STATE_HOME or ~/.local/state, /gatekeeper/drift-state.json)")
        Path state;
        @Option(names = "--alert-webhook-env", paramLabel = "NAME",
                description = "send alerts to the webhook URL in this environment variable")
        String alertWebhookEnv;
        @Option(names = "--parallel", defaultValue = "8", description = "targets scanned at once (default: 8)")
        int parallel;
        @Option(names = "--shard", paramLabel = "I/N", description = "scan only shard I of N (1-based)")
        String shard;
        @Option(names = {"-C", "--dir"}, paramLabel = "DIR", description = "resolve relative --config, --checkout, "
                + "--bare and --state paths against DIR (default: the current directory)")
        Path dir;
        @Option(names = "--full", description = "scan every target, even those unchanged since the last scan")
        boolean full;
        @Option(names = "--github-api-url", description = "GitHub API base URL (default: the config's, or "
                + "https://api.github.com)")
        String githubApiUrl;
        @Option(names = "--github-token-env", paramLabel = "NAME", description = "token variable (default: "
                + "the config's, or GITHUB_TOKEN)")
        String githubTokenEnv;

        /** The last run, for {@link #runFacts}. */
        private record Ran(DriftScan.Report report, Path stateFile, List<Target> targets, Map<String, String> env) {}

        private Ran ran;

        /** Findings by kind; the drift events and the gate's audit logs of the bare targets (refusals, break-glass). */
        @Override
        public MonitoredRun.Facts runFacts() {
            if (ran == null) {
                return MonitoredRun.Facts.NONE;
            }
            Map<String, Long> kinds = new java.util.TreeMap<>();
            for (Finding.Kind k : Finding.Kind.values()) {
                kinds.put(k.wire(), 0L);
            }
            ran.report().results().forEach(r -> r.findings().forEach(f -> kinds.merge(f.kind().wire(), 1L, Long::sum)));
            List<Path> logs = new ArrayList<>();
            logs.add(ran.stateFile().toAbsolutePath().resolveSibling("drift-events.jsonl"));
            for (Target t : ran.targets()) {
                if (t.kind() == Target.Kind.BARE) {
                    try {
                        // refusals are in the security log, break-glass uses in the ledger: all three files
                        var trail = GateEnvironment.load(Path.of(t.location()), ran.env()).auditTrail();
                        for (var r : dev.gatekeeper.events.AuditTrail.Retention.values()) {
                            logs.add(trail.log(r).file());
                        }
                    } catch (RuntimeException unreadable) {
                        // the scan reported it; its counts wait for a readable policy
                    }
                }
            }
            return new MonitoredRun.Facts(ran.report().summary(), kinds, logs);
        }

        static final class Format {
            @Option(names = "--json", description = "JSON on stdout") boolean json;
            @Option(names = "--markdown", description = "Markdown (CI job summaries)") boolean markdown;
        }

        @Override
        public Integer call() throws GatekeeperException {
            Map<String, String> env = System.getenv();
            Path base = (dir == null ? Path.of("") : dir).toAbsolutePath().normalize();
            List<Target> targets = new ArrayList<>();
            String apiUrl = githubApiUrl;
            String tokenEnv = githubTokenEnv;
            if (config != null) {
                try {
                    DriftConfig c = DriftConfig.load(base.resolve(config));
                    targets.addAll(c.targets());
                    apiUrl = apiUrl != null ? apiUrl : c.githubApiUrl();
                    tokenEnv = tokenEnv != null ? tokenEnv : c.githubTokenEnv();
                } catch (dev.gatekeeper.settings.SettingsException e) {
                    throw new GatekeeperException(ExitCode.USAGE, "invalid drift config:\n" + e.getMessage());
                }
            }
            try {
                checkouts.forEach(c -> targets.add(TargetSpecs.checkout(c, base)));
                bares.forEach(b -> targets.add(TargetSpecs.bare(b.toString(), base)));
                githubs.forEach(g -> targets.add(TargetSpecs.github(g)));
            } catch (IllegalArgumentException e) {
                throw new GatekeeperException(ExitCode.USAGE, e.getMessage());
            }
            DriftScan scan = new DriftScan().setTargets(targets).setParallel(parallel).setHeal(heal)
                    .setIncremental(!full)
                    .setStateFile(state != null ? base.resolve(state) : TargetSpecs.defaultStateFile(env))
                    .setGitHub(apiUrl, env.get(tokenEnv == null ? "GITHUB_TOKEN" : tokenEnv));
            if (shard != null) {
                try {
                    int[] in = TargetSpecs.shard(shard);
                    scan.setShard(in[0], in[1]);
                } catch (IllegalArgumentException e) {
                    throw new GatekeeperException(ExitCode.USAGE, "--" + e.getMessage());
                }
            }
            if (alertWebhookEnv != null) {
                String url = env.get(alertWebhookEnv);
                if (url == null || url.isBlank()) {
                    throw new GatekeeperException(ExitCode.USAGE, "$" + alertWebhookEnv + " is not set");
                }
                scan.setNotifier(new WebhookNotifier(url, Duration.ofSeconds(5)));
            }
            PrintWriter err = spec.commandLine().getErr();
            // a heal reinstalls hooks whose recorded runtime is gone with this distribution's
            scan.setHookRuntime(() -> {
                try {
                    return Installation.hookRuntime(true, err);
                } catch (GatekeeperException e) {
                    err.println("gatekeeper: " + e.getMessage());
                    return null;
                }
            });
            boolean terminal = terminal();
            if (terminal) {
                // a progress line only for a person watching: cron and CI logs get no carriage returns
                scan.setProgress(p -> {
                    synchronized (err) {
                        err.print("\rscanning " + p + " ");
                        err.flush();
                    }
                });
            }
            DriftScan.Report report = scan.call();
            ran = new Ran(report, scan.stateFile(), targets, env);
            if (terminal) {
                err.print("\r\033[K");
                err.flush();
            }
            DriftReportFormat f = format.json ? DriftReportFormat.JSON
                    : format.markdown ? DriftReportFormat.MARKDOWN : DriftReportFormat.TABLE;
            PrintWriter out = spec.commandLine().getOut();
            out.print(f.render(report));
            out.flush();
            return report.exitCode().code();
        }

        /**
         * Whether a person is watching. Java 17's console is null when either end is redirected; from Java 22 it
         * exists anyway and {@code isTerminal()} (not in 17's API, hence reflection) tells.
         */
        static boolean terminal() {
            java.io.Console c = System.console();
            if (c == null) {
                return false;
            }
            try {
                return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
            } catch (NoSuchMethodException java17) {
                return true;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return false;
            }
        }
    }
}
