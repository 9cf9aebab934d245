package dev.gatekeeper.install;

import dev.gatekeeper.ExitCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
    /**
     * The script's shape: v1 refused every push when the recorded java was gone, v2 (issue 13) finds another java,
     * v3 also finds the distribution's hook jar when the recorded one is gone. {@link HookStatus} reports a hook
     * older than this as OUTDATED, saying what it lacks.
     */
    public static final int VERSION = 3;
    static final String MARKER_PREFIX = "# gatekeeper-managed hook v";
    /** Identifies a file Gatekeeper wrote; the version changes when the script's shape does. */
    public static final String MARKER = MARKER_PREFIX + VERSION;
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
     * The version in the marker of a script Gatekeeper wrote ({@code # gatekeeper-managed hook v2}: 2), empty when
     * {@code content} is not one or its version is unreadable.
     */
    public static java.util.OptionalInt version(byte[] content) {
        String head = new String(content, 0, Math.min(content.length, 512), StandardCharsets.UTF_8);
        String[] lines = head.split("\n", 4);
        for (int i = 0; i < Math.min(3, lines.length); i++) {
            if (lines[i].startsWith(MARKER_PREFIX)) {
                String digits = lines[i].substring(MARKER_PREFIX.length()).strip();
                try {
                    return java.util.OptionalInt.of(Integer.parseInt(digits));
                } catch (NumberFormatException e) {
                    return java.util.OptionalInt.empty();
                }
            }
        }
        return java.util.OptionalInt.empty();
    }

    /** Where the server admin names the distribution's runtime for hooks: one line, a java binary. */
    public static final String CONFIGURED_JAVA_FILE = "java";
    /** Set by the script when it runs on another java than the recorded one: the recorded path. */
    public static final String ENV_JAVA_MOVED = "GATEKEEPER_HOOK_JAVA_MOVED";
    /** Set with {@link #ENV_JAVA_MOVED}: the java the script found instead. */
    public static final String ENV_JAVA_USED = "GATEKEEPER_HOOK_JAVA";
    /** Where the server admin names the distribution's hook jar for hooks: one line, a path. */
    public static final String CONFIGURED_JAR_FILE = "hook-jar";
    /** In the hook's environment: the distribution's hook jar, the first place looked when the recorded one is gone. */
    public static final String ENV_JAR = "GATEKEEPER_HOOK_JAR";
    /** Set by the script when it runs another hook jar than the recorded one: the recorded path. */
    public static final String ENV_JAR_MOVED = "GATEKEEPER_HOOK_JAR_MOVED";
    /** Set with {@link #ENV_JAR_MOVED}: the jar the script found instead. */
    public static final String ENV_JAR_USED = "GATEKEEPER_HOOK_JAR_USED";
    /**
     * What makes a file a Gatekeeper hook jar for the script: the main class's entry name, which a jar (a zip)
     * stores uncompressed in its headers, so {@code grep -F} finds it without unpacking (1.5 ms on the 11 MB hook
     * jar, where the entry is within its first 7 KB; the whole jar is ~10 ms at worst).
     */
    static final String JAR_ENTRY = HookRuntime.MAIN_CLASS.replace('.', '/') + ".class";
    /** Marks a hook made for {@code gitaly hooks set} ({@link GitalyTarball}): it has no manifest in the repository. */
    public static final String GITALY_MARKER = "# Set with 'gitaly hooks set'";
    /** Set by the installer's self-test: the gate runs as for any push, the chained hook does not. */
    public static final String ENV_SELF_TEST = "GATEKEEPER_SELF_TEST";

    /**
     * The script for {@code hook}.
     *
     * <p>The java it runs, first usable wins (documented in the README, "Upgrading"): the one recorded at install;
     * the runtime configured for the distribution ({@code $GATEKEEPER_JAVA}, else the first line of
     * {@code ${GATEKEEPER_CONFIG_DIR:-/etc/gatekeeper}/java}); {@code $JAVA_HOME/bin/java}; {@code java} on
     * {@code PATH}. A fallback must be executable and, when its {@code release} file says, Java 17 or newer; it
     * runs without the recorded class-data-sharing archive (made by another JVM) and tells the gate through
     * {@link #ENV_JAVA_MOVED}, which records an event and alerts once. Only when none is usable does the hook refuse
     * (fail closed), naming what it tried. The hook jar likewise ({@link #appendJarDiscovery}).
     *
     * @param chained the original hook to run after the gate passed, or null
     */
    public static String render(HookRuntime runtime, Hook hook, Path chained) {
        return render(runtime, hook, chained, null);
    }

    /**
     * The script, which when {@code besidePolicy} is given (a path relative to the script's own folder, for hooks
     * set through {@code gitaly hooks set}, whose tarball cannot reach {@code $GIT_DIR/gatekeeper}) reads its policy
     * from there unless {@code $GATEKEEPER_POLICY} names one.
     */
    public static String render(HookRuntime runtime, Hook hook, Path chained, String besidePolicy) {
        if (!hook.gates()) {
            return RecorderScript.render(runtime, chained, besidePolicy);
        }
        String refused = "gatekeeper: " + hook.gitName() + " refused (fail closed): ";
        StringBuilder s = new StringBuilder(4096);
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
        appendBesidePolicy(s, besidePolicy);
        appendJavaDiscovery(s, "        echo \"" + refused + "java runtime $GK_MOVED is missing or not executable,"
                + " and no other Java 17+ was found (\\$GATEKEEPER_JAVA, $GK_CONFIG_FILE, \\$JAVA_HOME,"
                + " PATH); reinstall the hook\" >&2\n        exit " + CONFIG_ERROR + "\n");
        appendJarDiscovery(s, runtime, "        echo \"" + refused + "hook jar $GK_JAR_MOVED is missing, and no other"
                + " Gatekeeper hook jar was found (\\$" + ENV_JAR + ", $GK_JAR_FILE" + linkedNote(runtime)
                + "); reinstall the hook\" >&2\n        exit " + CONFIG_ERROR + "\n");
        if (chained == null) {
            s.append("GIT_CONFIG_NOSYSTEM=1\n");
            s.append("export GIT_CONFIG_NOSYSTEM\n");
            appendGate(s, runtime, hook, "");
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
        appendGate(s, runtime, hook, "    ");
        s.append(")").append(input).append(" || exit $?\n");
        s.append("# The installer's self-test proves the gate; it never feeds its synthetic update to the chained hook.\n");
        s.append("[ -z \"${").append(ENV_SELF_TEST).append(":-}\" ] || exit 0\n");
        s.append("if [ -x \"$CHAINED\" ]; then\n");
        s.append("    \"$CHAINED\" \"$@\"").append(input).append(" || exit $?\n");
        s.append("elif [ ! -e \"$CHAINED\" ]; then\n");
        s.append("    echo \"").append(refused).append("the chained hook $CHAINED is missing\" >&2\n");
        s.append("    exit ").append(CONFIG_ERROR).append('\n');
        s.append("fi\n");
        s.append("exit 0\n");
        return s.toString();
    }

    /** For a hook set with {@code gitaly hooks set}: the policy that came with it, unless one is named already. */
    static void appendBesidePolicy(StringBuilder s, String besidePolicy) {
        if (besidePolicy != null) {
            s.append(GITALY_MARKER).append(": the policy came in the same tarball, next to this hook.\n");
            s.append("GK_POLICY=\"$(dirname \"$0\")/").append(besidePolicy.replace("\"", "")).append("\"\n");
            s.append("if [ -z \"${GATEKEEPER_POLICY:-}\" ] && [ -f \"$GK_POLICY\" ]; then\n");
            s.append("    GATEKEEPER_POLICY=$(cd \"$(dirname \"$GK_POLICY\")\" && pwd)/$(basename \"$GK_POLICY\")\n");
            s.append("    export GATEKEEPER_POLICY\n");
            s.append("fi\n");
        }
    }

    /**
     * Finds a usable java when the recorded one is gone (see {@link #render}); when there is none at all, runs
     * {@code whenNone} (lines of sh, indented by 8: refuse, or go on without java) with {@code JAVA} empty.
     */
    static void appendJavaDiscovery(StringBuilder s, String whenNone) {
        s.append("GK_MOVED=\n");
        s.append("# A usable java: executable and, where its release file says, 17 or newer.\n");
        s.append("gk_java_ok() {\n");
        s.append("    [ -n \"$1\" ] && [ -f \"$1\" ] && [ -x \"$1\" ] || return 1\n");
        s.append("    gk_real=$(readlink -f \"$1\" 2>/dev/null) || gk_real=$1\n");
        s.append("    gk_release=${gk_real%/bin/java}/release\n");
        s.append("    [ -r \"$gk_release\" ] || return 0\n");
        s.append("    gk_version=$(sed -n 's/^JAVA_VERSION=\"\\([0-9]*\\).*/\\1/p' \"$gk_release\")\n");
        s.append("    [ -z \"$gk_version\" ] || [ \"$gk_version\" -ge 17 ] 2>/dev/null\n");
        s.append("}\n");
        s.append("if [ ! -x \"$JAVA\" ]; then\n");
        s.append("    # The recorded java is gone (a JDK upgrade): find another rather than refuse every push.\n");
        s.append("    GK_MOVED=$JAVA\n");
        s.append("    GK_CONFIGURED=${GATEKEEPER_JAVA:-}\n");
        s.append("    GK_CONFIG_FILE=${GATEKEEPER_CONFIG_DIR:-/etc/gatekeeper}/").append(CONFIGURED_JAVA_FILE)
                .append('\n');
        s.append("    if [ -z \"$GK_CONFIGURED\" ] && [ -r \"$GK_CONFIG_FILE\" ]; then\n");
        s.append("        GK_CONFIGURED=$(sed -n '1{s/^[[:space:]]*//;s/[[:space:]]*$//;p;}' \"$GK_CONFIG_FILE\")\n");
        s.append("    fi\n");
        s.append("    JAVA=\n");
        s.append("    for gk_candidate in \"$GK_CONFIGURED\" \"${JAVA_HOME:+$JAVA_HOME/bin/java}\""
                + " \"$(command -v java 2>/dev/null)\"; do\n");
        s.append("        if gk_java_ok \"$gk_candidate\"; then\n");
        s.append("            JAVA=$gk_candidate\n");
        s.append("            break\n");
        s.append("        fi\n");
        s.append("    done\n");
        s.append("    if [ -z \"$JAVA\" ]; then\n");
        s.append(whenNone);
        s.append("    else\n");
        s.append("        ").append(ENV_JAVA_MOVED).append("=$GK_MOVED\n");
        s.append("        ").append(ENV_JAVA_USED).append("=$JAVA\n");
        s.append("        export ").append(ENV_JAVA_MOVED).append(' ').append(ENV_JAVA_USED).append('\n');
        s.append("    fi\n");
        s.append("fi\n");
    }

    /**
     * Finds the distribution's hook jar when a recorded class path entry is gone (the old version's folder was
     * deleted before {@code hooks install --all}), first usable wins: {@code $GATEKEEPER_HOOK_JAR}; the first line of
     * {@code ${GATEKEEPER_CONFIG_DIR:-/etc/gatekeeper}/hook-jar}; the jar through the link the install was run
     * through ({@link HookRuntime#linkedJar()}, e.g. {@code /opt/gatekeeper/lib/hook/gatekeeper-hook.jar}). A
     * candidate must be a readable file holding the hook's main class ({@link #JAR_ENTRY}); it replaces the whole
     * class path (the hook jar is self-contained) and is told to the gate through {@link #ENV_JAR_MOVED}. When none
     * is usable, runs {@code whenNone} (lines of sh, indented by 8: refuse, or go on without a jar) with {@code CP}
     * empty. On the normal path this costs what the old presence check did: one {@code [ -r ]} per entry.
     */
    static void appendJarDiscovery(StringBuilder s, HookRuntime runtime, String whenNone) {
        s.append("GK_JAR_MOVED=\n");
        if (runtime.classpath().isEmpty()) {
            return;
        }
        s.append("for f in");
        for (Path p : runtime.classpath()) {
            s.append(' ').append(quote(p.toString()));
        }
        s.append("; do\n");
        s.append("    if [ ! -r \"$f\" ]; then\n");
        s.append("        GK_JAR_MOVED=$f\n");
        s.append("        break\n");
        s.append("    fi\n");
        s.append("done\n");
        s.append("if [ -n \"$GK_JAR_MOVED\" ]; then\n");
        s.append("    # The recorded jar is gone (its version's folder was deleted): find the distribution's current one.\n");
        s.append("    GK_JAR_FILE=${GATEKEEPER_CONFIG_DIR:-/etc/gatekeeper}/").append(CONFIGURED_JAR_FILE).append('\n');
        s.append("    GK_CONFIGURED_JAR=\n");
        s.append("    if [ -r \"$GK_JAR_FILE\" ]; then\n");
        s.append("        GK_CONFIGURED_JAR=$(sed -n '1{s/^[[:space:]]*//;s/[[:space:]]*$//;p;}' \"$GK_JAR_FILE\")\n");
        s.append("    fi\n");
        s.append("    CP=\n");
        s.append("    for gk_candidate in \"${").append(ENV_JAR).append(":-}\" \"$GK_CONFIGURED_JAR\"");
        runtime.linkedJar().ifPresent(j -> s.append(' ').append(quote(j.toString())));
        s.append("; do\n");
        s.append("        if [ -n \"$gk_candidate\" ] && [ -f \"$gk_candidate\" ] && [ -r \"$gk_candidate\" ] \\\n");
        s.append("                && grep -q -F ").append(JAR_ENTRY).append(" \"$gk_candidate\" 2>/dev/null; then\n");
        s.append("            CP=$gk_candidate\n");
        s.append("            break\n");
        s.append("        fi\n");
        s.append("    done\n");
        s.append("    if [ -z \"$CP\" ]; then\n");
        s.append(whenNone);
        s.append("    else\n");
        s.append("        ").append(ENV_JAR_MOVED).append("=$GK_JAR_MOVED\n");
        s.append("        ").append(ENV_JAR_USED).append("=$CP\n");
        s.append("        export ").append(ENV_JAR_MOVED).append(' ').append(ENV_JAR_USED).append('\n');
        s.append("    fi\n");
        s.append("fi\n");
    }

    /** The link candidate as the refusal names it, or nothing. */
    private static String linkedNote(HookRuntime runtime) {
        return runtime.linkedJar().map(j -> ", " + j.toString().replace("\\", "").replace("\"", "")
                .replace("$", "").replace("`", "")).orElse("");
    }

    /**
     * The recorded java with the recorded options; a fallback java, or the recorded one with a fallback jar, with
     * the plain fast-start ones (the archive was made for the recorded pair).
     */
    static void appendGate(StringBuilder s, HookRuntime runtime, Hook hook, String indent) {
        s.append(indent).append("if [ -z \"$GK_MOVED$GK_JAR_MOVED\" ]; then\n");
        s.append(indent).append("    exec ").append(gateCommand(runtime.jvmOptions(), hook)).append('\n');
        s.append(indent).append("fi\n");
        s.append(indent).append("exec ").append(gateCommand(HookRuntime.defaultJvmOptions(Optional.empty()), hook))
                .append('\n');
    }

    private static String gateCommand(List<String> jvmOptions, Hook hook) {
        StringBuilder g = new StringBuilder("\"$JAVA\"");
        for (String opt : jvmOptions) {
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
        String all = runtime.java() + runtime.classpathString() + runtime.linkedJar().map(Path::toString).orElse("");
        if (all.indexOf('\0') >= 0 || all.indexOf('\n') >= 0) {
            out.add("a path contains a NUL or newline character");
        }
        return out;
    }
}
