package dev.gatekeeper.cli.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs real {@code git} for the demo with a clean, reproducible environment (own HOME, no system config, fixed
 * identities) and prints what a person would see: the command, then git's output indented.
 */
final class DemoShell {
    private final PrintWriter out;
    private final Path home;
    private int failures;

    DemoShell(PrintWriter out, Path home) {
        this.out = out;
        this.home = home;
    }

    /** What a command printed and how it ended. */
    record Run(int exitCode, String output) {}

    Run git(String actor, Path dir, String... args) throws IOException, InterruptedException {
        return run(actor, dir, Map.of(), prepend("git", args));
    }

    Run gitEnv(String actor, Path dir, Map<String, String> extraEnv, String... args)
            throws IOException, InterruptedException {
        return run(actor, dir, extraEnv, prepend("git", args));
    }

    /** Runs quietly: set-up steps whose output would only distract. Fails the demo if the command fails. */
    void quiet(Path dir, String... command) throws IOException, InterruptedException {
        Run r = exec(dir, Map.of(), List.of(command));
        if (r.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + r.output().trim());
        }
    }

    Run run(String actor, Path dir, Map<String, String> extraEnv, List<String> command)
            throws IOException, InterruptedException {
        return run(actor, dir, extraEnv, command, display(command));
    }

    /** Runs {@code command} but shows {@code shown}, e.g. "gatekeeper …" instead of the launcher's full path. */
    Run run(String actor, Path dir, Map<String, String> extraEnv, List<String> command, String shown)
            throws IOException, InterruptedException {
        out.println(String.format("  %-9s $ %s", "[" + actor + "]", shown));
        Run r = exec(dir, extraEnv, command);
        for (String line : r.output().split("\n")) {
            if (!line.isBlank()) {
                out.println("              " + line.stripTrailing());
            }
        }
        out.flush();
        return r;
    }

    Run exec(Path dir, Map<String, String> extraEnv, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("HOME", home.toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_AUTHOR_NAME", "Demo");
        env.put("GIT_AUTHOR_EMAIL", "demo@example.invalid");
        env.put("GIT_COMMITTER_NAME", "Demo");
        env.put("GIT_COMMITTER_EMAIL", "demo@example.invalid");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.putAll(extraEnv);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), output);
    }

    /** Prints the verdict of a step and counts it when the outcome is not what the story expects. */
    void expect(boolean ok, String whatHappened) {
        out.println("              => " + whatHappened + (ok ? "" : "   <-- UNEXPECTED"));
        out.println();
        out.flush();
        if (!ok) {
            failures++;
        }
    }

    void say(String text) {
        out.println(text);
        out.flush();
    }

    int failures() {
        return failures;
    }

    /** Environment for a shell, e.g. a hook run by hand. */
    static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static List<String> prepend(String first, String[] rest) {
        List<String> l = new ArrayList<>();
        l.add(first);
        l.addAll(Arrays.asList(rest));
        return l;
    }

    private static String display(List<String> command) {
        StringBuilder sb = new StringBuilder();
        for (String c : command) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            String shown = c.startsWith("gatekeeper-token=gk1.") ? "gatekeeper-token=$TOKEN"
                    : c.startsWith("gatekeeper-break-glass=gk1.") ? "gatekeeper-break-glass=$BREAK_GLASS" : c;
            sb.append(shown.contains(" ") ? "'" + shown + "'" : shown);
        }
        return sb.toString();
    }
}
