package dev.gatekeeper.action;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.cli.DriftCommand;
import dev.gatekeeper.cli.StabilizeCommand;
import dev.gatekeeper.cli.VerifyPushMain;
import dev.gatekeeper.cli.WatchOptions;
import dev.gatekeeper.drift.DriftReport;
import dev.gatekeeper.drift.DriftScan;
import dev.gatekeeper.drift.DriftScanSettings;
import dev.gatekeeper.outcome.Outcome;
import dev.gatekeeper.outcome.OutcomeJson;
import dev.gatekeeper.policy.PolicyCheck;
import dev.gatekeeper.settings.KeyStyle;
import dev.gatekeeper.settings.Problem;
import dev.gatekeeper.stabilize.Stabilize;
import dev.gatekeeper.stabilize.StabilizeReport;
import dev.gatekeeper.stabilize.StabilizeSettings;
import dev.gatekeeper.verify.VerifyPush;
import dev.gatekeeper.verify.VerifyPushReport;
import dev.gatekeeper.verify.VerifyPushSettings;
import dev.gatekeeper.watch.MonitoredRun;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * The GitHub Action's entry point (the container's ENTRYPOINT). Reads the action's inputs from {@code INPUT_*}; its
 * {@code args} are the command's CLI options, parsed by the CLI's own definitions into the command's settings (so
 * every setting the CLI has, the Action has, named the same); runs the core command in-process and renders its typed
 * outcome: the step outputs ({@code $GITHUB_OUTPUT}), the JSON report, a Markdown summary
 * ({@code $GITHUB_STEP_SUMMARY}) and workflow-command annotations. The exit code is the outcome's.
 */
public final class ActionMain {

    /** The inputs of action.yml, each read from {@code INPUT_<NAME>} (upper case, '-' or '_'). */
    static final List<String> INPUTS = List.of("command", "args", "token", "policy", "working-directory");

    /** The outputs of action.yml; every one is written on every run (empty when it does not apply). */
    static final List<String> OUTPUTS = List.of("verdict", "exit-code", "remote-sha", "revert-sha", "drift-count",
            "report-path");

    /** HOME and GITHUB_WORKSPACE as the runner sets them inside a container action. */
    private static final String CONTAINER_HOME = "/github/home";
    private static final String CONTAINER_WORKSPACE = "/github/workspace";

    private ActionMain() {}

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        int code;
        try {
            code = run(System.getenv(), out, err);
        } catch (RuntimeException e) {
            out.println("::error title=gatekeeper::" + escapeData("internal error: " + e));
            code = ExitCode.INTERNAL_ERROR.code();
        }
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one step as the runner would: {@code env} holds INPUT_*, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, ... */
    public static int run(Map<String, String> env, PrintStream out, PrintStream err) {
        String token = input(env, "token");
        if (!token.isEmpty()) {
            // before anything else is printed: the runner then masks the token in every later log line
            out.println("::add-mask::" + escapeData(token));
        }
        String command = input(env, "command").trim();
        Path workspace = Path.of(env.getOrDefault("GITHUB_WORKSPACE", ".")).toAbsolutePath().normalize();
        String wd = input(env, "working-directory").trim();
        Path dir = wd.isEmpty() ? workspace : workspace.resolve(wd).normalize();
        List<String> args;
        try {
            args = split(input(env, "args"));
        } catch (IllegalArgumentException e) {
            return usage(env, out, command, e.getMessage());
        }

        Map<String, String> outputs = new LinkedHashMap<>();
        for (String o : OUTPUTS) {
            outputs.put(o, "");
        }
        Outcome<?> outcome;
        switch (command) {
            case "verify-push" -> {
                Outcome<VerifyPushReport> o = watched(command, VerifyPushMain.NAMES, args, dir, env, token, out,
                        s -> new VerifyPush((VerifyPushSettings) s).setEnv(env).setAgentStdoutToStderr(true).call(),
                        r -> MonitoredRun.Facts.of(r.summary(), r.report() == null ? null : r.report().auditLog()));
                if (o.report() != null) {
                    outputs.put("remote-sha", nz(o.report().after()));
                }
                outcome = o;
            }
            case "stabilize" -> {
                Outcome<StabilizeReport> o = watched(command, StabilizeCommand.NAMES, args, dir, env, token, out,
                        s -> new Stabilize((StabilizeSettings) s).setEnv(env)
                                .setProgress(line -> err.println("gatekeeper: " + line)).call(),
                        r -> MonitoredRun.Facts.of(r.summary(), r.report() == null ? null : r.report().auditLog()));
                if (o.report() != null) {
                    outputs.put("revert-sha", nz(o.report().revert()));
                    outputs.put("remote-sha", nz(o.report().branchTip()));
                }
                outcome = o;
            }
            case "drift-scan" -> {
                DriftScan[] scan = {null};
                Outcome<DriftReport> o = watched(command, DriftCommand.Scan.NAMES, args, dir, env, token, out, s -> {
                    scan[0] = DriftScan.of((DriftScanSettings) s, env);
                    return scan[0].outcome();
                }, r -> scan[0] == null ? MonitoredRun.Facts.of(r.summary(), null) : scan[0].runFacts(r));
                if (o.report() != null) {
                    outputs.put("drift-count", Integer.toString(o.report().findings()));
                }
                outcome = o;
            }
            case "policy-check" -> {
                String policy = input(env, "policy").trim();
                if (policy.isEmpty()) {
                    return usage(env, out, command, "policy-check needs the 'policy' input (a policy file)");
                }
                List<Path> files = new ArrayList<>(List.of(dir.resolve(policy)));
                for (String a : args) {
                    if (a.startsWith("-") && !a.equals("--json")) {
                        return usage(env, out, command, "policy-check takes policy files in 'args', not " + a);
                    } else if (!a.equals("--json")) {
                        files.add(dir.resolve(a));
                    }
                }
                outcome = PolicyCheck.run(files);
            }
            default -> {
                return usage(env, out, command, "input 'command' must be verify-push, stabilize, drift-scan or "
                        + "policy-check, not '" + command + "'");
            }
        }
        int code = outcome.exitCode().code();
        outputs.put("exit-code", Integer.toString(code));
        outputs.put("verdict", outcome.verdict().wire());
        String json = OutcomeJson.write(command, outcome);

        // the outcome for the log: its warnings and its one line
        for (String w : outcome.warnings()) {
            annotate(out, "warning", command, w);
        }
        out.println("gatekeeper " + command + ": " + outcome.summary());
        if (outcome.report() != null && !command.equals("policy-check")) {
            try {
                String name = "gatekeeper-" + command + "-report.json";
                Path[] where = reportDirs(env, workspace);
                Files.createDirectories(where[0]);
                Files.writeString(where[0].resolve(name), json + "\n", StandardCharsets.UTF_8);
                outputs.put("report-path", where[1].resolve(name).toString());
            } catch (IOException e) {
                out.println("::warning title=gatekeeper " + escapeProperty(command) + "::"
                        + escapeData("could not write the JSON report: " + e.getMessage()));
            }
        }

        // annotations: a policy's problems at their place in the file, else the outcome's line
        List<Problem> problems = outcome.report() instanceof PolicyCheck.Report r ? r.problems() : List.of();
        if (!problems.isEmpty()) {
            for (Problem p : problems) {
                out.println("::error file=" + escapeProperty(relative(workspace, p.file())) + ",line=" + p.line()
                        + ",col=" + p.column() + ",title=gatekeeper policy-check::"
                        + escapeData(Problem.of(p.key(), p.message(), p.allowed()).render(key -> "'" + key + "'")));
            }
        } else if (code == 4 || code == 5) {
            annotate(out, "warning", command, outcome.summary());
        } else if (code != 0) {
            annotate(out, "error", command, outcome.summary());
        }

        writeOutputs(env, outputs);
        writeSummary(env, command, outputs, outcome.summary(), json);
        return code;
    }

    /** What a command does with its settings. */
    private interface Core<R> {
        Outcome<R> run(Record settings) throws Exception;
    }

    /**
     * Runs {@code core} with the settings {@code args} give, watched as they say ({@code --ping-url},
     * {@code --job}, {@code --metrics-file}, {@code --heartbeat-dir}: core's {@link MonitoredRun}, as the CLI runs
     * it). What it throws becomes the outcome, settings named as the CLI's options; what the watching could not do
     * is a warning and changes nothing else. A container's heartbeat store is thrown away with it, so a run records
     * a heartbeat only in a {@code --heartbeat-dir} given, or where a {@code --metrics-file}'s counters add up.
     */
    private static <R> Outcome<R> watched(String command, KeyStyle names, List<String> args, Path dir,
            Map<String, String> env, String token, PrintStream out, Core<R> core,
            Function<Outcome<R>, MonitoredRun.Facts> facts) {
        Options options;
        MonitoredRun.Settings watch;
        try {
            options = options(command, args, dir, env, token);
            WatchOptions w = options.watch().in(dir);
            if (w.heartbeatDir() == null && w.metricsFile() == null) {
                w = new WatchOptions(w.job(), null, true, w.pingUrl(), null); // a job name alone records nothing
            }
            watch = w.settings(command, false, env);
        } catch (IllegalArgumentException e) {
            return Outcome.of(new GatekeeperException(ExitCode.USAGE, e.getMessage()), names);
        } catch (Exception e) {
            return Outcome.of(e, names);
        }
        Callable<Outcome<R>> body = () -> core.run(options.settings().call());
        if (!watch.anything()) {
            return run(names, body);
        }
        List<Outcome<R>> ran = new ArrayList<>(1);
        new MonitoredRun(watch, w -> annotate(out, "warning", command, w), Clock.systemUTC()).run(() -> {
            ran.add(run(names, body));
            return ran.get(0).exitCode().code();
        }, () -> facts.apply(ran.get(0)));
        return ran.get(0);
    }

    /** Runs {@code body}; what it throws becomes the outcome, settings named as the CLI's options. */
    private static <R> Outcome<R> run(KeyStyle names, Callable<Outcome<R>> body) {
        try {
            return body.call();
        } catch (Exception e) {
            return Outcome.of(e, names);
        }
    }

    /**
     * A command's options from {@code args}: its settings, built when called (a bad value is found as the run
     * starts, and is its outcome, as in the CLI), and the options that watch its run.
     */
    record Options(Callable<Record> settings, WatchOptions watch) {}

    /**
     * The options of {@code command} (verify-push, stabilize or drift-scan) from {@code args}: the CLI's options,
     * parsed by the CLI's own definitions, in the working clone {@code dir}; verify-push's GitHub API token is the
     * {@code token} input unless {@code args} name a token file.
     *
     * @throws GatekeeperException (usage) for an argument that is no option of the command
     */
    static Options options(String command, List<String> args, Path dir, Map<String, String> env, String token)
            throws GatekeeperException {
        String[] a = withDir(args, dir);
        try {
            return switch (command) {
                case "verify-push" -> {
                    VerifyPushSettings.Builder b = VerifyPushMain.settings(a, env);
                    if (!token.isEmpty() && !args.contains("--token-file")) {
                        b.githubToken(token); // the token input, as a value
                    }
                    yield new Options(b::build, VerifyPushMain.watchOptions(a, env));
                }
                case "stabilize" -> {
                    StabilizeCommand c = new StabilizeCommand();
                    WatchOptions w = WatchOptions.parse(c, a);
                    yield new Options(() -> c.settings(env), w);
                }
                case "drift-scan" -> {
                    DriftCommand.Scan c = new DriftCommand.Scan();
                    WatchOptions w = WatchOptions.parse(c, a);
                    yield new Options(() -> c.settings(env), w);
                }
                default -> throw new IllegalArgumentException("no settings for " + command);
            };
        } catch (CommandLine.ParameterException e) {
            // an unknown or misspelt option is the user's to fix, named as picocli names it
            throw new GatekeeperException(ExitCode.USAGE, "input 'args': " + e.getMessage());
        }
    }

    /** The settings of {@code command} from {@code args}, as {@link #options} parses them. */
    static Record settings(String command, List<String> args, Path dir, Map<String, String> env, String token)
            throws Exception {
        return options(command, args, dir, env, token).settings().call();
    }

    /**
     * {@code args} in the working clone {@code dir}: {@code -C dir} first, or the user's own {@code -C}/{@code --dir}
     * resolved against it; {@code --json} dropped (the Action always writes the JSON report).
     */
    static String[] withDir(List<String> args, Path dir) {
        List<String> all = new ArrayList<>();
        boolean given = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if ((a.equals("-C") || a.equals("--dir")) && i + 1 < args.size()) {
                all.add(a);
                all.add(dir.resolve(args.get(++i)).normalize().toString());
                given = true;
            } else if (!a.equals("--json")) {
                all.add(a);
            }
        }
        if (!given) {
            all.addAll(0, List.of("-C", dir.toString()));
        }
        return all.toArray(String[]::new);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /**
     * Where the JSON report is written, and the path later steps read it at: {write, shown}. In a container
     * action the runner mounts {@code $RUNNER_TEMP/_github_home} at {@code /github/home} (also {@code HOME}) and
     * the workspace at {@code /github/workspace}, but passes {@code RUNNER_TEMP} untranslated, as the host's path,
     * which is not mounted: the report goes to {@code /github/home} and the output names it by its host path.
     * Elsewhere (the entry point run directly) both are {@code $RUNNER_TEMP}, else the workspace.
     */
    static Path[] reportDirs(Map<String, String> env, Path workspace) {
        String runnerTemp = env.get("RUNNER_TEMP");
        if (runnerTemp != null && !runnerTemp.isEmpty() && CONTAINER_HOME.equals(env.get("HOME"))
                && CONTAINER_WORKSPACE.equals(env.get("GITHUB_WORKSPACE"))) {
            return new Path[] {Path.of(CONTAINER_HOME), Path.of(runnerTemp, "_github_home")};
        }
        Path dir = runnerTemp == null || runnerTemp.isEmpty() ? workspace : Path.of(runnerTemp);
        return new Path[] {dir, dir};
    }


    private static int usage(Map<String, String> env, PrintStream out, String command, String message) {
        out.println("::error title=gatekeeper::" + escapeData(message));
        Map<String, String> outputs = new LinkedHashMap<>();
        for (String o : OUTPUTS) {
            outputs.put(o, "");
        }
        outputs.put("verdict", "usage-error");
        outputs.put("exit-code", Integer.toString(ExitCode.USAGE.code()));
        writeOutputs(env, outputs);
        writeSummary(env, command, outputs, message, null);
        return ExitCode.USAGE.code();
    }

    static String input(Map<String, String> env, String name) {
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        String v = env.get("INPUT_" + upper.replace('-', '_'));
        if (v == null) {
            v = env.get("INPUT_" + upper);
        }
        return v == null ? "" : v;
    }

    private static String relative(Path workspace, String file) {
        Path p = Path.of(file).toAbsolutePath().normalize();
        return p.startsWith(workspace) ? workspace.relativize(p).toString() : file;
    }

    private static void annotate(PrintStream out, String level, String command, String message) {
        out.println("::" + level + " title=" + escapeProperty("gatekeeper " + command) + "::" + escapeData(message));
    }

    /** The toolkit's escaping of a workflow command's message. */
    public static String escapeData(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** The toolkit's escaping of a workflow command's property value. */
    public static String escapeProperty(String s) {
        return escapeData(s).replace(":", "%3A").replace(",", "%2C");
    }

    private static void writeOutputs(Map<String, String> env, Map<String, String> outputs) {
        String file = env.get("GITHUB_OUTPUT");
        if (file == null || file.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> o : outputs.entrySet()) {
            String delimiter = "ghadelimiter_" + UUID.randomUUID();
            sb.append(o.getKey()).append("<<").append(delimiter).append('\n')
                    .append(o.getValue()).append('\n').append(delimiter).append('\n');
        }
        append(file, sb.toString());
    }

    private static void writeSummary(Map<String, String> env, String command, Map<String, String> outputs,
            String reason, String json) {
        String file = env.get("GITHUB_STEP_SUMMARY");
        if (file == null || file.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder("### gatekeeper ").append(command.isEmpty() ? "(no command)" : command)
                .append(": ").append(outputs.get("verdict")).append(" (exit ").append(outputs.get("exit-code"))
                .append(")\n\n");
        if (reason != null && !reason.isEmpty()) {
            sb.append(reason.replace("\n", " ")).append("\n\n");
        }
        sb.append("| output | value |\n| --- | --- |\n");
        for (Map.Entry<String, String> o : outputs.entrySet()) {
            sb.append("| ").append(o.getKey()).append(" | `").append(o.getValue().replace("|", "\\|")
                    .replace("\n", " ")).append("` |\n");
        }
        if (json != null) {
            sb.append("\n<details><summary>outcome (JSON)</summary>\n\n```json\n").append(json.replace("```", "'''"))
                    .append("\n```\n</details>\n");
        }
        append(file, sb.append('\n').toString());
    }

    private static void append(String file, String text) {
        try {
            Files.writeString(Path.of(file), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Splits like a shell would for simple quoting: whitespace, '…', "…" (with \" and \\), backslash escapes. */
    public static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == '"' || s.charAt(i + 1) == '\\'
                        || s.charAt(i + 1) == '$' || s.charAt(i + 1) == '`')) {
                    cur.append(s.charAt(++i));
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                if (n != '\n') {
                    cur.append(n);
                    inWord = true;
                }
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("input 'args': unterminated " + quote + " quote");
        }
        if (inWord) {
            out.add(cur.toString());
        }
        return out;
    }
}
