package dev.gatekeeper.cli;

import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.drift.DriftReport;
import dev.gatekeeper.drift.DriftReportFormat;
import dev.gatekeeper.drift.DriftScan;
import dev.gatekeeper.drift.DriftScanSettings;
import dev.gatekeeper.drift.DriftScanSettings.Key;
import dev.gatekeeper.outcome.Outcome;
import dev.gatekeeper.settings.KeyStyle;
import dev.gatekeeper.settings.SecretSources;
import dev.gatekeeper.settings.SettingsException;
import dev.gatekeeper.watch.MonitoredRun;
import java.io.PrintWriter;
import java.nio.file.Path;
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
public final class DriftCommand {

    @Command(name = "scan", mixinStandardHelpOptions = true,
            description = {"Scan the targets of --config and/or the command line. Prints nothing when everything is "
                    + "clean (fits cron). Exit 0 clean, 3 drift found, 4 a target could not be scanned (and no "
                    + "drift), 2 bad options or config."})
    public static final class Scan implements Callable<Integer>, ReportsRun {
        /** The settings whose option is not {@code --} and the key in kebab-case. */
        public static final KeyStyle NAMES = KeyStyle.CLI.with(Map.of("checkouts", "--checkout", "bares", "--bare",
                "githubRepos", "--github", "githubToken", "--github-token-env", "stateFile", "--state",
                "alertWebhook", "--alert-webhook-env", "incremental", "--full"));

        @Spec CommandSpec spec;
        @Option(names = "--config", paramLabel = "FILE", description = "drift.yaml naming the targets")
        Path config;
        @Option(names = "--checkout", paramLabel = "DIR[@BRANCH]", description = "a deployed checkout")
        List<String> checkouts = List.of();
        @Option(names = "--bare", paramLabel = "DIR", description = "a bare repository on the git server")
        List<String> bares = List.of();
        @Option(names = "--github", paramLabel = "OWNER/REPO[@BRANCH]", description = "a GitHub repository "
                + "(default branch main, default baseline: 1 review, admins enforced, no force-push, no deletion)")
        List<String> githubs = List.of();
        @ArgGroup(exclusive = true)
        Format format = new Format();
        @Option(names = "--heal", description = "act: save then restore dirty checkouts, reinstall hooks")
        boolean heal;
        @Option(names = "--state", paramLabel = "FILE", description = "state between runs (default: "
                + "$XDG_STATE_HOME or ~/.local/state, /gatekeeper/drift-state.json)")
        String state;
        @Option(names = "--alert-webhook-env", paramLabel = "NAME",
                description = "send alerts to the webhook URL in this environment variable")
        String alertWebhookEnv;
        @Option(names = "--parallel", paramLabel = "N", description = "targets scanned at once (default: 8)")
        String parallel;
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

        /** The last run, for {@link #runFacts}; its scan is null when the settings failed. */
        private record Ran(Outcome<DriftReport> outcome, DriftScan scan) {}

        private Ran ran;

        @Override
        public MonitoredRun.Facts runFacts() {
            if (ran == null) {
                return MonitoredRun.Facts.NONE;
            }
            return ran.scan() == null ? MonitoredRun.Facts.of(ran.outcome().summary(), null)
                    : ran.scan().runFacts(ran.outcome());
        }

        static final class Format {
            @Option(names = "--json", description = "the outcome as one JSON object on stdout") boolean json;
            @Option(names = "--markdown", description = "Markdown (CI job summaries)") boolean markdown;
        }

        /**
         * The settings: {@code --config}'s targets, then those of the options (relative paths against {@code -C});
         * the token and the webhook read from the variables the options name. Public for the GitHub Action, whose
         * {@code args} are these options.
         */
        public DriftScanSettings settings(Map<String, String> env) throws SettingsException {
            DriftScanSettings.Builder b = DriftScanSettings.builder(dir == null ? Path.of("") : dir);
            if (githubApiUrl != null) {
                b.set(Key.GITHUB_API_URL, githubApiUrl);
            }
            if (config != null) {
                b.config(config, env); // its token: from the variable it names, GITHUB_TOKEN by default
            }
            if (githubTokenEnv != null) {
                b.githubToken(env.get(githubTokenEnv));
            } else if (config == null) {
                b.githubToken(env.get("GITHUB_TOKEN"));
            }
            b.targets(Key.CHECKOUTS, checkouts).targets(Key.BARES, bares).targets(Key.GITHUB_REPOS, githubs);
            if (parallel != null) {
                b.set(Key.PARALLEL, parallel);
            }
            if (shard != null) {
                b.set(Key.SHARD, shard);
            }
            if (state != null) {
                b.set(Key.STATE_FILE, state);
            }
            b.set(Key.HEAL, Boolean.toString(heal)).set(Key.INCREMENTAL, Boolean.toString(!full));
            if (alertWebhookEnv != null) {
                try {
                    b.alertWebhook(SecretSources.variable(env, alertWebhookEnv, "the alert webhook"));
                } catch (IllegalArgumentException e) {
                    b.problem(Key.ALERT_WEBHOOK, e.getMessage());
                }
            }
            return b.build();
        }

        @Override
        public Integer call() throws GatekeeperException {
            Map<String, String> env = System.getenv();
            PrintWriter err = spec.commandLine().getErr();
            boolean terminal = terminal();
            DriftScan[] ran = {null};
            Outcome<DriftReport> o = CliOutcome.run(NAMES, () -> {
                DriftScan scan = DriftScan.of(settings(env), env);
                ran[0] = scan;
                // a heal reinstalls hooks whose recorded runtime is gone with this distribution's
                scan.setHookRuntime(() -> {
                    try {
                        return Installation.hookRuntime(true, err);
                    } catch (GatekeeperException e) {
                        err.println("gatekeeper: " + e.getMessage());
                        return null;
                    }
                });
                if (terminal) {
                    // a progress line only for a person watching: cron and CI logs get no carriage returns
                    scan.setProgress(p -> {
                        synchronized (err) {
                            err.print("\rscanning " + p + " ");
                            err.flush();
                        }
                    });
                }
                return scan.outcome();
            });
            if (terminal) {
                err.print("\r\033[K");
                err.flush();
            }
            this.ran = new Ran(o, ran[0]);
            PrintWriter out = spec.commandLine().getOut();
            if (format.json || o.failed()) {
                return CliOutcome.print("drift-scan", o, format.json, out, err);
            }
            DriftReportFormat f = format.markdown ? DriftReportFormat.MARKDOWN : DriftReportFormat.TABLE;
            out.print(f.render(o.report(), o.warnings()));
            out.flush();
            return o.exitCode().code();
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
