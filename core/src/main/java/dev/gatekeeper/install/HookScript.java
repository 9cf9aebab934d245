package dev.gatekeeper.install;

import dev.gatekeeper.ExitCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The POSIX sh script installed as a hook. It holds no logic of its own beyond starting the gate: everything is
 * absolute and single-quoted, so neither the pusher's environment nor odd characters in a path change what runs.
 * When something it needs is gone (java, a jar, the chained hook) it refuses with one line instead of letting the
 * hook vanish silently: the gate fails closed.
 *
 * <p>Line 1 is the {@code #!} line, not the marker, because GitLab's Gitaly executes hooks directly and a file
 * without one fails with "exec format error"; the marker is the first comment after it.
 */
public final class HookScript {
    /** Identifies a file Gatekeeper wrote; the version changes when the script's shape does. */
    public static final String MARKER = "# gatekeeper-managed hook v1";
    static final String MARKER_PREFIX = "# gatekeeper-managed hook v";
    /** Exit status of the script's own refusals: a configuration problem, as in {@link ExitCode#USAGE}. */
    static final int CONFIG_ERROR = ExitCode.USAGE.code();

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private HookScript() {}

    /** The hooks Gatekeeper installs and what git gives each one. */
    public enum Hook {
        PRE_RECEIVE("pre-receive", true, false),
        /** Records what landed; it cannot refuse anything, so a chained post-receive runs whatever it says. */
        POST_RECEIVE("post-receive", true, false),
        PRE_COMMIT("pre-commit", false, false),
        PRE_PUSH("pre-push", true, true);

        private final String gitName;
        private final boolean readsInput;
        private final boolean gateTakesArguments;

        Hook(String gitName, boolean readsInput, boolean gateTakesArguments) {
            this.gitName = gitName;
            this.readsInput = readsInput;
            this.gateTakesArguments = gateTakesArguments;
        }

        /** The name git knows the hook by, and the argument {@code HookMain} takes. */
        public String gitName() {
            return gitName;
        }

        /** Whether the gate's verdict stops the chained hook (post-receive: the refs are written, nothing to stop). */
        public boolean gates() {
            return this != POST_RECEIVE;
        }

        /** Whether git writes to the hook's standard input (which a chained hook must then see too). */
        public boolean readsInput() {
            return readsInput;
        }

        public static Hook of(String gitName) {
            for (Hook h : values()) {
                if (h.gitName.equals(gitName)) {
                    return h;
                }
            }
            throw new IllegalArgumentException("not a hook Gatekeeper installs: " + gitName);
        }
    }

    /** Whether {@code content} is a script Gatekeeper wrote (any version): the marker is within the first lines. */
    public static boolean isManaged(byte[] content) {
        String head = new String(content, 0, Math.min(content.length, 512), StandardCharsets.UTF_8);
        String[] lines = head.split("\n", 4);
        for (int i = 0; i < Math.min(3, lines.length); i++) {
            if (lines[i].startsWith(MARKER_PREFIX)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The script for {@code hook}.
     *
     * @param chained the original hook to run after the gate passed, or null
     */
    public static String render(HookRuntime runtime, Hook hook, Path chained) {
        if (!hook.gates()) {
            return RecorderScript.render(runtime, chained, gateCommand(runtime, hook));
        }
        String refused = "gatekeeper: " + hook.gitName() + " refused (fail closed): ";
        StringBuilder s = new StringBuilder(2048);
        s.append("#!/bin/sh\n");
        s.append(MARKER).append('\n');
        s.append("# Written by gatekeeper's installer: the ").append(hook.gitName())
                .append(" gate runs here. Do not edit: 'gatekeeper hooks status'\n");
        s.append("# reports any change as tampering; 'gatekeeper hooks uninstall' removes it and restores what was here.\n");
        s.append("JAVA=").append(quote(runtime.java().toString())).append('\n');
        s.append("CP=").append(quote(runtime.classpathString())).append('\n');
        if (chained != null) {
            s.append("CHAINED=").append(quote(chained.toAbsolutePath().normalize().toString())).append('\n');
        }
        s.append("if [ ! -x \"$JAVA\" ]; then\n");
        s.append("    echo \"").append(refused).append("java runtime $JAVA is missing or not executable;")
                .append(" reinstall the hook\" >&2\n");
        s.append("    exit ").append(CONFIG_ERROR).append('\n');
        s.append("fi\n");
        if (!runtime.classpath().isEmpty()) {
            s.append("for f in");
            for (Path p : runtime.classpath()) {
                s.append(' ').append(quote(p.toString()));
            }
            s.append("; do\n");
            s.append("    if [ ! -e \"$f\" ]; then\n");
            s.append("        echo \"").append(refused).append("$f is missing; reinstall the hook\" >&2\n");
            s.append("        exit ").append(CONFIG_ERROR).append('\n');
            s.append("    fi\n");
            s.append("done\n");
        }
        String gate = gateCommand(runtime, hook);
        if (chained == null) {
            s.append("GIT_CONFIG_NOSYSTEM=1\n");
            s.append("export GIT_CONFIG_NOSYSTEM\n");
            s.append("exec ").append(gate).append('\n');
            return s.toString();
        }
        String input = "";
        if (hook.readsInput()) {
            // git writes the input once; the chained hook must see exactly the bytes the gate judged.
            s.append("INPUT=$(mktemp \"${TMPDIR:-/tmp}/gatekeeper-").append(hook.gitName()).append(".XXXXXX\") || {\n");
            s.append("    echo \"").append(refused).append("cannot create a temporary file\" >&2\n");
            s.append("    exit ").append(CONFIG_ERROR).append('\n');
            s.append("}\n");
            s.append("trap 'rm -f \"$INPUT\"' EXIT\n");
            s.append("trap 'exit 129' HUP\n");
            s.append("trap 'exit 130' INT\n");
            s.append("trap 'exit 143' TERM\n");
            s.append("cat >\"$INPUT\" || {\n");
            s.append("    echo \"").append(refused).append("cannot buffer the hook input\" >&2\n");
            s.append("    exit ").append(CONFIG_ERROR).append('\n');
            s.append("}\n");
            input = " <\"$INPUT\"";
        }
        s.append("# The gate first, in a subshell so the chained hook keeps git's environment; the chained hook only\n");
        s.append("# runs when the gate passed.\n");
        s.append("(\n");
        s.append("    GIT_CONFIG_NOSYSTEM=1\n");
        s.append("    export GIT_CONFIG_NOSYSTEM\n");
        s.append("    exec ").append(gate).append('\n');
        s.append(")").append(input).append(" || exit $?\n");
        s.append("if [ -x \"$CHAINED\" ]; then\n");
        s.append("    \"$CHAINED\" \"$@\"").append(input).append(" || exit $?\n");
        s.append("elif [ ! -e \"$CHAINED\" ]; then\n");
        s.append("    echo \"").append(refused).append("the chained hook $CHAINED is missing\" >&2\n");
        s.append("    exit ").append(CONFIG_ERROR).append('\n');
        s.append("fi\n");
        s.append("exit 0\n");
        return s.toString();
    }

    static String gateCommand(HookRuntime runtime, Hook hook) {
        StringBuilder g = new StringBuilder("\"$JAVA\"");
        for (String opt : runtime.jvmOptions()) {
            g.append(' ').append(quote(opt));
        }
        g.append(" -cp \"$CP\" ").append(HookRuntime.MAIN_CLASS).append(' ').append(hook.gitName());
        if (hook.gateTakesArguments) {
            g.append(" \"$@\"");
        }
        return g.toString();
    }

    /** {@code word} as one sh word: bare when it is plainly safe, else single-quoted (which quotes everything). */
    static String quote(String word) {
        if (!word.isEmpty() && SAFE.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** Paths a script cannot carry: the class path separator inside an entry would split it in two. */
    static List<String> problems(HookRuntime runtime) {
        List<String> out = new java.util.ArrayList<>();
        for (Path p : runtime.classpath()) {
            if (p.toString().contains(java.io.File.pathSeparator)) {
                out.add("class path entry " + p + " contains '" + java.io.File.pathSeparator + "'");
            }
        }
        String all = runtime.java() + runtime.classpathString();
        if (all.indexOf('\0') >= 0 || all.indexOf('\n') >= 0) {
            out.add("a path contains a NUL or newline character");
        }
        return out;
    }
}
