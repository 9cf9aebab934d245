package dev.gatekeeper.cli;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.outcome.Outcome;
import dev.gatekeeper.outcome.OutcomeJson;
import dev.gatekeeper.settings.KeyStyle;
import dev.gatekeeper.settings.SettingsException;
import dev.gatekeeper.verify.RefReaders;
import dev.gatekeeper.verify.VerifyPush;
import dev.gatekeeper.verify.VerifyPushReport;
import dev.gatekeeper.verify.VerifyPushSettings;
import dev.gatekeeper.verify.VerifyPushSettings.Key;
import dev.gatekeeper.watch.MonitoredRun;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code gatekeeper verify-push}. Deliberately not picocli, like the hooks' entry point: agents call this after
 * every push, and building picocli's model of all commands costs ~400 ms before any work starts, ten times what
 * reading a ref costs. {@code bin/gatekeeper} and {@link Main} route {@code verify-push} here directly; the
 * picocli subcommand only lists it in {@code gatekeeper --help} and hands over. The options are few and flat, so
 * this small parser is the only one: it fills {@link VerifyPushSettings} (the tokens and the webhook read from the
 * file and variables the options name) and prints {@link VerifyPush}'s outcome.
 */
public final class VerifyPushMain {
    static final String USAGE = String.join("\n",
            "Usage: gatekeeper verify-push [OPTIONS]",
            "       gatekeeper verify-push [OPTIONS] -- COMMAND [ARGS...]",
            "Check that a remote branch really holds what an agent claims to have pushed.",
            "",
            "What to expect (default: the remote branch tip equals the working clone's HEAD):",
            "      --expect REV          the commit that must be on the remote (SHA or revision; default HEAD)",
            "      --contains            the tip may have moved on: REV only has to be in its history",
            "      --since SHA           the tip must have moved away from this baseline",
            "  -- COMMAND [ARGS...]      wrap mode: read the tip, run COMMAND (output streamed, exit code kept),",
            "                            then require that the branch moved and holds HEAD (or --expect)",
            "Where to look:",
            "      --remote NAME|URL     remote name or URL (default: the branch's upstream remote, else origin)",
            "      --branch NAME         branch or full ref (default: the upstream branch, else the same name)",
            "      --github OWNER/REPO   read through the GitHub REST API (token: $GITHUB_TOKEN or --token-file)",
            "      --github-api-url URL  GitHub Enterprise API base, e.g. https://ghe.example.com/api/v3",
            "      --via auto|git|github  auto (default): local paths directly, github.com by API, others by git",
            "      --token-file FILE     token for the GitHub API or smart HTTP (else $GITHUB_TOKEN or",
            "                            $GATEKEEPER_GIT_TOKEN)",
            "  -C, --dir DIR             the working clone (default: .)",
            "How long and how to report:",
            "      --timeout DURATION    keep re-reading until this deadline, e.g. 30s (default), 2m",
            "      --json                one JSON object: verdict, expected, before, after, attempts, timings",
            "      --audit-log FILE      audit log (default: $GATEKEEPER_AUDIT_LOG, else .git/gatekeeper/events.jsonl)",
            "      --alert-webhook-env NAME  variable holding the alert webhook URL (default: $GATEKEEPER_ALERT_WEBHOOK)",
            "      --alert-inconclusive  also alert when the result is inconclusive (default: only not verified)",
            "Watching the run (gatekeeper watch, ping services, Prometheus):",
            "      --job NAME            this job's name in heartbeats and metrics (default: verify-push)",
            "      --heartbeat-dir DIR   heartbeat store (default: $GATEKEEPER_HEARTBEAT_DIR, else",
            "                            ~/.local/state/gatekeeper/heartbeats); wrap mode records there always",
            "      --no-heartbeat        do not record this run",
            "      --ping-url URL        ping service check: URL/start, then URL, or URL/<exit code> on failure",
            "      --metrics-file FILE   write this run's Prometheus metrics here (textfile collector)",
            "  -q, --quiet               no warnings on stderr, only the result and the reason of a failure",
            "  -v, --verbose             log what JGit and the HTTP client do, on stderr",
            "      --debug               log it in detail (JGit, OkHttp), and stack traces of internal errors",
            "  -h, --help                this help",
            "  -V, --version             the version of Gatekeeper",
            "",
            "Exit codes:",
            "  0  verified",
            "  2  usage or configuration error",
            "  3  not verified: the remote was read and does not hold what was claimed, or the wrapped command failed",
            "  4  inconclusive: remote unreachable, authentication failed, rate-limited, timed out, or an answer that",
            "     is no answer (cut, empty or misshapen): only an authoritative answer is a verdict",
            "  1  internal error",
            "");

    static final java.util.Set<String> TAKES_VALUE = java.util.Set.of("--expect", "--since", "--remote",
            "--branch", "--github", "--github-api-url", "--token-file", "-C", "--dir", "--audit-log",
            "--alert-webhook-env", "--timeout", "--via", "--job", "--heartbeat-dir", "--ping-url", "--metrics-file");

    /** The settings whose option is not {@code --} and the key in kebab-case. */
    public static final KeyStyle NAMES = KeyStyle.CLI.with(Map.of("dir", "-C/--dir", "githubToken", "--token-file",
            "gitToken", "--token-file", "alertWebhook", "--alert-webhook-env", "command", "-- COMMAND"));

    private VerifyPushMain() {}

    /**
     * One option as {@link #USAGE} documents it: its names and the label of its value (null for a flag). USAGE is
     * the one list of verify-push's options; shell completion is generated from it ({@link Completion}) and
     * VerifyPushOptionsTest holds it, {@link #TAKES_VALUE} and the parser to each other.
     */
    record Documented(List<String> names, String label) {}

    private static final java.util.regex.Pattern OPTION_LINE = java.util.regex.Pattern.compile(
            "^ {2,6}(?:(-[A-Za-z]), )?(--[a-z][a-z-]*)(?: (\\S+))?(?: {2,}\\S.*)?$");

    /** The options {@link #USAGE} lists, in its order. */
    static List<Documented> documented() {
        List<Documented> out = new java.util.ArrayList<>();
        for (String line : USAGE.split("\n")) {
            java.util.regex.Matcher m = OPTION_LINE.matcher(line);
            if (m.matches()) {
                out.add(new Documented(m.group(1) == null ? List.of(m.group(2)) : List.of(m.group(1), m.group(2)),
                        m.group(3)));
            }
        }
        return out;
    }

    public static void main(String[] args) {
        Logging.select(Logging.Level.NORMAL); // before JGit is touched: SLF4J's no-operation provider, no search
        System.exit(run(args, System.getenv(), new PrintStream(System.out, true, StandardCharsets.UTF_8),
                new PrintStream(System.err, true, StandardCharsets.UTF_8)));
    }

    /** @param args the arguments after {@code verify-push} */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Parsed p;
        MonitoredRun.Settings watched;
        try {
            p = parse(args, env);
            if (p.help) {
                out.print(USAGE);
                return ExitCode.OK.code();
            }
            if (p.version) {
                out.println(dev.gatekeeper.Version.line());
                return ExitCode.OK.code();
            }
            if (p.level != Logging.Level.NORMAL) {
                Logging.select(p.level);
            }
            watched = MonitoredRun.Settings.of("verify-push", p.wrapped, p.job, p.heartbeatDir, p.noHeartbeat,
                    p.pingUrl, p.metricsFile, env);
        } catch (GatekeeperException e) {
            err.println("gatekeeper verify-push: " + e.getMessage() + " (see gatekeeper verify-push --help)");
            return e.exitCode().code();
        } catch (IllegalArgumentException e) {
            err.println("gatekeeper verify-push: " + e.getMessage() + " (see gatekeeper verify-push --help)");
            return ExitCode.USAGE.code();
        }
        // --quiet: warnings go nowhere; the verdict (stdout) and the reason of a failure (stderr) stay
        PrintStream warn = p.level == Logging.Level.QUIET ? new PrintStream(java.io.OutputStream.nullOutputStream())
                : err;
        if (!watched.anything()) {
            return verify(p, env, out, err, warn, new MonitoredRun.Facts[1]);
        }
        MonitoredRun.Facts[] facts = new MonitoredRun.Facts[1];
        return new MonitoredRun(watched, w -> warn.println("gatekeeper verify-push: warning: " + w),
                java.time.Clock.systemUTC()).run(() -> verify(p, env, out, err, warn, facts), () -> facts[0]);
    }

    /**
     * The settings {@code args} give, for a packaging whose arguments are these options (the GitHub Action): the
     * tokens and the webhook read as the CLI reads them; a packaging holding a token of its own sets it after.
     *
     * @throws GatekeeperException for arguments that are no options of verify-push
     */
    public static VerifyPushSettings.Builder settings(String[] args, Map<String, String> env)
            throws GatekeeperException {
        return parse(args, env).settings;
    }

    /**
     * The options that watch the run among {@code args}, for the same packaging as {@link #settings}.
     *
     * @throws GatekeeperException for arguments that are no options of verify-push
     */
    public static WatchOptions watchOptions(String[] args, Map<String, String> env) throws GatekeeperException {
        Parsed p = parse(args, env);
        return new WatchOptions(p.job, p.heartbeatDir, p.noHeartbeat, p.pingUrl, p.metricsFile);
    }

    private static int verify(Parsed p, Map<String, String> env, PrintStream out, PrintStream err, PrintStream warn,
            MonitoredRun.Facts[] facts) {
        Outcome<VerifyPushReport> o = CliOutcome.run(NAMES, () -> new VerifyPush(p.settings.build()).setEnv(env)
                .setAgentStdoutToStderr(p.json).call());
        VerifyPushReport r = o.report();
        facts[0] = MonitoredRun.Facts.of(o.summary(), r == null ? null : r.auditLog());
        for (String w : o.warnings()) {
            warn.println("gatekeeper verify-push: warning: " + w);
        }
        if (o.failed()) {
            err.println("gatekeeper verify-push: " + o.summary());
        }
        if (p.json) {
            out.println(OutcomeJson.write("verify-push", o));
        } else if (!o.failed()) {
            out.println(o.summary());
        }
        return o.exitCode().code();
    }

    private static final class Parsed {
        final VerifyPushSettings.Builder settings = VerifyPushSettings.builder();
        boolean help;
        boolean version;
        Logging.Level level = Logging.Level.NORMAL;
        boolean json;
        boolean wrapped;
        String job;
        Path heartbeatDir;
        boolean noHeartbeat;
        String pingUrl;
        Path metricsFile;
    }

    private static Parsed parse(String[] args, Map<String, String> env) throws GatekeeperException {
        Parsed p = new Parsed();
        VerifyPushSettings.Builder b = p.settings;
        Path tokenFile = null;
        String alertWebhookEnv = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                List<String> command = Arrays.asList(args).subList(i + 1, args.length);
                if (command.isEmpty()) {
                    throw usage("nothing after --: give the agent's command, or leave out --");
                }
                b.command(command);
                p.wrapped = true;
                break;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (TAKES_VALUE.contains(name) && value == null) {
                if (i + 1 >= args.length || args[i + 1].equals("--")) {
                    throw usage(name + " needs a value");
                }
                value = args[++i];
            } else if (value != null && !TAKES_VALUE.contains(name)) {
                throw usage(name + " takes no value");
            }
            switch (name) {
                case "-h", "--help" -> p.help = true;
                case "-V", "--version" -> p.version = true;
                case "-q", "--quiet", "-v", "--verbose", "--debug" -> p.level = louder(p.level, switch (name) {
                    case "-q", "--quiet" -> Logging.Level.QUIET;
                    case "--debug" -> Logging.Level.DEBUG;
                    default -> Logging.Level.VERBOSE;
                });
                case "--json" -> p.json = true;
                case "--contains" -> b.set(Key.CONTAINS, "true");
                case "--alert-inconclusive" -> b.set(Key.ALERT_INCONCLUSIVE, "true");
                case "--expect" -> b.set(Key.EXPECT, value);
                case "--since" -> b.set(Key.SINCE, value);
                case "--remote" -> b.set(Key.REMOTE, value);
                case "--branch" -> b.set(Key.BRANCH, value);
                case "--github" -> b.set(Key.GITHUB, value);
                case "--github-api-url" -> b.set(Key.GITHUB_API_URL, value);
                case "--token-file" -> tokenFile = Path.of(value);
                case "-C", "--dir" -> b.directory(Path.of(value));
                case "--audit-log" -> b.auditLog(Path.of(value));
                case "--alert-webhook-env" -> alertWebhookEnv = value;
                case "--job" -> p.job = value;
                case "--heartbeat-dir" -> p.heartbeatDir = Path.of(value);
                case "--no-heartbeat" -> p.noHeartbeat = true;
                case "--ping-url" -> p.pingUrl = value;
                case "--metrics-file" -> p.metricsFile = Path.of(value);
                case "--timeout" -> b.set(Key.TIMEOUT, value);
                case "--via" -> b.set(Key.VIA, value);
                default -> throw usage(a.startsWith("-") ? "unknown option " + a
                        : "unexpected argument '" + a + "': put the agent's command after --");
            }
        }
        try {
            b.githubToken(RefReaders.githubToken(tokenFile, env)).gitToken(RefReaders.gitToken(tokenFile, env));
        } catch (GatekeeperException e) {
            b.problem(Key.GITHUB_TOKEN, e.getMessage());
        }
        String alertVar = alertWebhookEnv != null ? alertWebhookEnv : VerifyPush.ENV_ALERT_WEBHOOK;
        String url = env.get(alertVar);
        if (url != null && !url.isBlank()) {
            b.alertWebhook(url);
        } else if (alertWebhookEnv != null) {
            // named and unset is a configuration error, as in drift scan: an alert that silently goes nowhere is not
            b.problem(Key.ALERT_WEBHOOK, "$" + alertWebhookEnv + " is not set");
        }
        return p;
    }

    /** As {@link Logging#select}: the louder of two choices wins. */
    private static Logging.Level louder(Logging.Level had, Logging.Level wanted) {
        return had == Logging.Level.NORMAL || wanted.ordinal() > had.ordinal() ? wanted : had;
    }

    private static GatekeeperException usage(String message) {
        return new GatekeeperException(ExitCode.USAGE, message);
    }
}
