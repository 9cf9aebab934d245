package dev.gatekeeper.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatekeeper.ExitCode;
import dev.gatekeeper.cli.Main;
import dev.gatekeeper.cli.VerifyPushMain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine;

/**
 * The GitHub Action's entry point (the container's ENTRYPOINT). Reads the action's inputs from {@code INPUT_*},
 * runs the CLI in-process, and writes the step outputs ({@code $GITHUB_OUTPUT}), a Markdown report
 * ({@code $GITHUB_STEP_SUMMARY}) and workflow-command annotations. The exit code is the CLI's.
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
        Result r;
        switch (command) {
            case "verify-push" -> {
                List<String> cli = new ArrayList<>(List.of("-C", dir.toString()));
                cli.addAll(withJson(args));
                Map<String, String> cliEnv = new HashMap<>(env);
                if (!token.isEmpty()) {
                    cliEnv.put("GITHUB_TOKEN", token);
                }
                ByteArrayOutputStream o = new ByteArrayOutputStream();
                ByteArrayOutputStream e = new ByteArrayOutputStream();
                PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
                PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8);
                int code = VerifyPushMain.run(cli.toArray(String[]::new), cliEnv, po, pe);
                r = new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
            }
            case "stabilize" -> {
                List<String> cli = new ArrayList<>(List.of("stabilize", "-C", dir.toString()));
                cli.addAll(withJson(args));
                r = picocli(cli);
            }
            case "drift-scan" -> {
                List<String> cli = new ArrayList<>(List.of("drift", "scan", "-C", dir.toString()));
                cli.addAll(withJson(args));
                r = picocli(cli);
            }
            case "policy-check" -> {
                String policy = input(env, "policy").trim();
                if (policy.isEmpty()) {
                    return usage(env, out, command, "policy-check needs the 'policy' input (a policy file)");
                }
                List<String> cli = new ArrayList<>(List.of("policy", "check", dir.resolve(policy).toString()));
                cli.addAll(withJson(args));
                r = picocli(cli);
            }
            default -> {
                return usage(env, out, command, "input 'command' must be verify-push, stabilize, drift-scan or "
                        + "policy-check, not '" + command + "'");
            }
        }

        // the CLI's own output, for the log
        out.print(r.out);
        err.print(r.err);

        JsonNode json;
        try {
            json = new ObjectMapper().readTree(r.out.strip());
        } catch (IOException | RuntimeException e) {
            json = null;
        }
        outputs.put("exit-code", Integer.toString(r.code));
        outputs.put("verdict", verdict(command, r.code, json));
        String reason = reason(r, json);
        if (json != null && !command.equals("policy-check")) {
            switch (command) {
                case "verify-push" -> outputs.put("remote-sha", text(json, "after"));
                case "stabilize" -> {
                    outputs.put("revert-sha", text(json, "revert"));
                    outputs.put("remote-sha", text(json, "branch_tip"));
                }
                case "drift-scan" -> outputs.put("drift-count", Integer.toString(json.path("findings").asInt()));
                default -> { }
            }
            try {
                String name = "gatekeeper-" + command + "-report.json";
                Path[] where = reportDirs(env, workspace);
                Files.createDirectories(where[0]);
                Files.writeString(where[0].resolve(name), r.out, StandardCharsets.UTF_8);
                outputs.put("report-path", where[1].resolve(name).toString());
            } catch (IOException e) {
                out.println("::warning title=gatekeeper " + escapeProperty(command) + "::"
                        + escapeData("could not write the JSON report: " + e.getMessage()));
            }
        }

        // annotations
        if (command.equals("policy-check") && r.code != 0) {
            boolean any = false;
            for (JsonNode p : problems(json)) {
                any = true;
                out.println("::error file=" + escapeProperty(relative(workspace, text(p, "file"))) + ",line="
                        + p.path("line").asInt() + ",col=" + p.path("column").asInt()
                        + ",title=gatekeeper policy-check::" + escapeData(problemText(p, false)));
            }
            if (!any) {
                annotate(out, "error", command, reason);
            }
        } else if (r.code == 4 || r.code == 5) {
            annotate(out, "warning", command, reason);
        } else if (r.code != 0) {
            annotate(out, "error", command, reason);
        }

        writeOutputs(env, outputs);
        writeSummary(env, command, outputs, reason, r);
        return r.code;
    }

    private record Result(int code, String out, String err) {}

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


    private static Result picocli(List<String> args) {
        CommandLine cl = Main.commandLine();
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        PrintWriter po = new PrintWriter(o, true);
        PrintWriter pe = new PrintWriter(e, true);
        cl.setOut(po);
        cl.setErr(pe);
        int code = cl.execute(args.toArray(String[]::new));
        po.flush();
        pe.flush();
        return new Result(code, o.toString(), e.toString());
    }

    private static List<String> withJson(List<String> args) {
        List<String> a = new ArrayList<>(args);
        if (!a.contains("--json")) {
            int dd = a.indexOf("--");
            a.add(dd < 0 ? a.size() : dd, "--json");
        }
        return a;
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

    private static String verdict(String command, int code, JsonNode json) {
        // verify-push, stabilize and drift-scan say their verdict in their JSON (core's words, as the Jenkins steps)
        if (json != null && json.hasNonNull("verdict")) {
            return json.get("verdict").asText();
        }
        return switch (code) {
            case 0 -> command.equals("policy-check") ? "valid" : "ok";
            case 2 -> command.equals("policy-check") ? "invalid" : "usage-error";
            case 3 -> "refused";
            case 4 -> "inconclusive";
            default -> "internal-error";
        };
    }

    /** policy check --json's problems, in file order (none when there is no such report). */
    private static List<JsonNode> problems(JsonNode json) {
        List<JsonNode> problems = new ArrayList<>();
        if (json != null) {
            for (JsonNode f : json.path("files")) {
                f.path("problems").forEach(problems::add);
            }
        }
        return problems;
    }

    /** A policy problem as the CLI prints it: [file:line:col: ]['key': ]message[ (allowed: ...)]. */
    private static String problemText(JsonNode p, boolean where) {
        return (where ? text(p, "file") + ":" + p.path("line").asInt() + ":" + p.path("column").asInt() + ": " : "")
                + (text(p, "key").isEmpty() ? "" : "'" + text(p, "key") + "': ") + text(p, "message")
                + (text(p, "allowed").isEmpty() ? "" : " (allowed: " + text(p, "allowed") + ")");
    }

    private static String reason(Result r, JsonNode json) {
        List<JsonNode> problems = problems(json);
        if (!problems.isEmpty()) {
            return problems.size() + (problems.size() == 1 ? " problem: " : " problems, the first: ")
                    + problemText(problems.get(0), true);
        }
        if (json != null && json.path("valid").asBoolean(false) && json.has("files")) {
            List<String> files = new ArrayList<>();
            for (JsonNode f : json.path("files")) {
                files.add(text(f, "file") + " (" + f.path("protected_refs").asInt() + " protected ref patterns)");
            }
            return "valid: " + String.join(", ", files);
        }
        if (json != null) {
            for (String k : new String[] {"reason", "summary"}) {
                if (json.hasNonNull(k) && !json.get(k).asText().isEmpty()) {
                    return json.get(k).asText();
                }
            }
        }
        String[] lines = r.err.strip().split("\n");
        String last = lines[lines.length - 1].strip();
        if (!last.isEmpty()) {
            return last;
        }
        return json == null ? r.out.strip() : "exit " + r.code;
    }

    private static String text(JsonNode json, String field) {
        JsonNode n = json.get(field);
        return n == null || n.isNull() ? "" : n.asText();
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
            String reason, Result r) {
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
        if (r != null && !r.out.isBlank()) {
            sb.append("\n<details><summary>CLI output</summary>\n\n```\n").append(r.out.strip().replace("```", "'''"))
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
