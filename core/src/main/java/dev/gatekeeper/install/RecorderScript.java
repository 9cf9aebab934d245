package dev.gatekeeper.install;

import java.nio.file.Path;

/**
 * The {@code post-receive} script: records what landed. Usually without starting a JVM: pre-receive left a note for
 * exactly this push's input (the gate's {@code LandingNote}, named by the input's POSIX {@code cksum}), and the
 * script compares the input with the note's ({@code cmp}) and renames the note to {@code .landed}: one
 * {@code cksum}, one {@code cmp}, one {@code mv}, a few milliseconds, where a JVM costs tens (bench/hook-latency).
 * Otherwise (some update did not land, two identical pushes, no note) it runs the recorder the long way, with a
 * java and a hook jar found as the gate finds them when the recorded ones are gone. A failure
 * to record is a warning, never a refusal (the refs are written), and a chained post-receive (a CI trigger) runs
 * whatever the recorder did, with the same input; its status is the hook's.
 */
final class RecorderScript {
    private RecorderScript() {}

    static String render(HookRuntime runtime, Path chained, String besidePolicy) {
        String warn = "gatekeeper: post-receive: ";
        String lost = "; what landed is not recorded (drift will report these tips)";
        StringBuilder s = new StringBuilder(2048);
        s.append("#!/bin/sh\n");
        s.append(HookScript.MARKER).append('\n');
        s.append("# Written by gatekeeper's installer: the post-receive recorder of what landed runs here. Do not"
                + " edit:\n");
        s.append("# 'gatekeeper hooks status' reports any change as tampering; 'gatekeeper hooks uninstall' removes"
                + " it.\n");
        s.append("JAVA=").append(HookScript.quote(runtime.java().toString())).append('\n');
        s.append("CP=").append(HookScript.quote(runtime.classpathString())).append('\n');
        if (chained != null) {
            s.append("CHAINED=").append(HookScript.quote(chained.toAbsolutePath().normalize().toString()))
                    .append('\n');
        }
        HookScript.appendBesidePolicy(s, besidePolicy);
        s.append("INPUT=$(mktemp \"${TMPDIR:-/tmp}/gatekeeper-post-receive.XXXXXX\") || {\n");
        s.append("    echo \"").append(warn).append("cannot create a temporary file").append(lost).append("\" >&2\n");
        if (chained != null) {
            s.append("    exec \"$CHAINED\" \"$@\"\n");
        } else {
            s.append("    exit 0\n");
        }
        s.append("}\n");
        s.append("trap 'rm -f \"$INPUT\"' EXIT\n");
        s.append("trap 'exit 129' HUP\n");
        s.append("trap 'exit 130' INT\n");
        s.append("trap 'exit 143' TERM\n");
        s.append("cat >\"$INPUT\" || echo \"").append(warn).append("cannot buffer the hook input").append(lost)
                .append("\" >&2\n");
        s.append("# The note pre-receive left for exactly this input: named by its cksum, holding the input itself.\n");
        s.append("LANDING=${GIT_DIR:-.}/gatekeeper/landing\n");
        s.append("SUM=$(cksum <\"$INPUT\" 2>/dev/null)\n");
        s.append("CRC=${SUM%% *}\n");
        s.append("LEN=${SUM#* }\n");
        s.append("LEN=${LEN%% *}\n");
        s.append("NOTES=0\n");
        s.append("NOTE=\n");
        s.append("for f in \"$LANDING/$CRC-$LEN-\"*.note; do\n");
        s.append("    if [ -n \"$SUM\" ] && [ -f \"$f\" ]; then NOTES=$((NOTES + 1)); NOTE=$f; fi\n");
        s.append("done\n");
        s.append("if [ \"$NOTES\" -eq 1 ] && cmp -s \"${NOTE%.note}.input\" \"$INPUT\" \\\n");
        s.append("        && mv \"$NOTE\" \"${NOTE%.note}.landed\" 2>/dev/null; then\n");
        s.append("    :  # recorded: the gate folds it into the audit trail with its next append\n");
        s.append("else\n");
        s.append("    # The long way: the recorder judges the landing itself (a java, as the gate finds one).\n");
        StringBuilder discovery = new StringBuilder();
        HookScript.appendJavaDiscovery(discovery, "        echo \"" + warn + "java runtime $GK_MOVED is missing, and no"
                + " other Java 17+ was found" + lost + "\" >&2\n");
        HookScript.appendJarDiscovery(discovery, runtime, "        echo \"" + warn + "hook jar $GK_JAR_MOVED is"
                + " missing, and no other Gatekeeper hook jar was found" + lost + "\" >&2\n");
        discovery.toString().lines().forEach(l -> s.append(l.isEmpty() ? "" : "    ").append(l).append('\n'));
        s.append("    if [ -n \"$JAVA\" ] && [ -n \"$CP\" ]; then\n");
        s.append("        (\n");
        s.append("            GIT_CONFIG_NOSYSTEM=1\n");
        s.append("            export GIT_CONFIG_NOSYSTEM\n");
        StringBuilder gate = new StringBuilder();
        HookScript.appendGate(gate, runtime, HookScript.Hook.POST_RECEIVE, "            ");
        s.append(gate);
        s.append("        ) <\"$INPUT\"\n");
        s.append("    fi\n");
        s.append("fi\n");
        s.append("# The installer's self-test proves the gate; its synthetic updates never reach the chained hook.\n");
        s.append("[ -z \"${").append(HookScript.ENV_SELF_TEST).append(":-}\" ] || exit 0\n");
        if (chained != null) {
            s.append("if [ -x \"$CHAINED\" ]; then\n");
            s.append("    \"$CHAINED\" \"$@\" <\"$INPUT\"\n");
            s.append("    exit $?\n");
            s.append("elif [ ! -e \"$CHAINED\" ]; then\n");
            s.append("    echo \"").append(warn).append("the chained hook $CHAINED is missing\" >&2\n");
            s.append("    exit ").append(HookScript.CONFIG_ERROR).append('\n');
            s.append("fi\n");
        }
        s.append("exit 0\n");
        return s.toString();
    }
}
