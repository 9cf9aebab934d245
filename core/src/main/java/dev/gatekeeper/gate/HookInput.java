package dev.gatekeeper.gate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict parsers for what git writes to hooks on standard input. Anything else (garbage, a truncated line, a
 * missing final newline, mixed hash lengths, an empty input) is refused with the line number: a gate that
 * guesses is a gate that can be fooled.
 */
public final class HookInput {
    /** More than git ever sends for a sane push; bounds memory against a hostile or broken stdin. */
    static final int MAX_BYTES = 16 * 1024 * 1024;
    private static final Pattern PRE_PUSH = Pattern.compile("(\\S+) ([0-9a-f]{40}|[0-9a-f]{64}) (\\S+) ([0-9a-f]{40}|[0-9a-f]{64})");

    private HookInput() {}

    /** Parses pre-receive (and post-receive) input: {@code <old> <new> <ref>} per line. */
    public static List<RefUpdate> preReceive(InputStream in) throws IOException, GateInputException {
        return preReceive(read(in));
    }

    /** {@link #preReceive(InputStream)} of input already read with {@link #read}. */
    public static List<RefUpdate> preReceive(byte[] input) throws GateInputException {
        List<RefUpdate> updates = new ArrayList<>();
        int n = 0;
        for (String line : lines(input, false)) {
            n++;
            RefUpdate u = receiveLine(line);
            if (u == null) {
                throw new GateInputException("line " + n + " is not '<old-sha> <new-sha> <ref>': " + shorten(line));
            }
            if (RefUpdate.isZero(u.oldId()) && RefUpdate.isZero(u.newId())) {
                throw new GateInputException("line " + n + " has zero ids on both sides");
            }
            updates.add(u);
        }
        if (updates.isEmpty()) {
            throw new GateInputException("no ref updates on standard input (git always sends at least one)");
        }
        return updates;
    }

    /**
     * One {@code <old> <new> <ref>} line: two lower-case hex ids of one length (40 or 64), then {@code refs/} and at
     * least one more non-blank character, or {@code HEAD}; null otherwise. Written out rather than a regular
     * expression: every push runs it, and in a hook JVM the regex engine's first match costs milliseconds.
     */
    static RefUpdate receiveLine(String line) {
        int sp1 = line.indexOf(' ');
        if (sp1 != 40 && sp1 != 64) {
            return null;
        }
        int sp2 = sp1 + 1 + sp1;
        if (line.length() <= sp2 || line.charAt(sp2) != ' ' || !hex(line, 0, sp1) || !hex(line, sp1 + 1, sp2)) {
            return null;
        }
        String ref = line.substring(sp2 + 1);
        boolean ok = ref.equals("HEAD") || (ref.startsWith("refs/") && ref.length() > 5);
        for (int i = 0; ok && i < ref.length(); i++) {
            char c = ref.charAt(i);
            ok = c != ' ' && c != '\t' && c != '\n' && c != 0x0B && c != '\f' && c != '\r';
        }
        return ok ? new RefUpdate(line.substring(0, sp1), line.substring(sp1 + 1, sp2), ref) : null;
    }

    private static boolean hex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses pre-push input: {@code <local-ref> <local-sha> <remote-ref> <remote-sha>} per line, returned as the
     * updates the remote would see. An empty input is valid here (git sends none when nothing is to be pushed).
     */
    public static List<RefUpdate> prePush(InputStream in) throws IOException, GateInputException {
        List<RefUpdate> updates = new ArrayList<>();
        int n = 0;
        for (String line : lines(in, true)) {
            n++;
            Matcher m = PRE_PUSH.matcher(line);
            if (!m.matches() || m.group(2).length() != m.group(4).length()) {
                throw new GateInputException("line " + n + " is not '<local-ref> <local-sha> <remote-ref> <remote-sha>': "
                        + shorten(line));
            }
            updates.add(new RefUpdate(m.group(4), m.group(2), m.group(3)));
        }
        return updates;
    }

    /** All of standard input, at most {@link #MAX_BYTES}. */
    public static byte[] read(InputStream in) throws IOException, GateInputException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int r;
        while ((r = in.read(chunk)) != -1) {
            buf.write(chunk, 0, r);
            if (buf.size() > MAX_BYTES) {
                throw new GateInputException("more than " + MAX_BYTES + " bytes on standard input");
            }
        }
        return buf.toByteArray();
    }

    private static List<String> lines(InputStream in, boolean allowEmpty) throws IOException, GateInputException {
        return lines(read(in), allowEmpty);
    }

    private static List<String> lines(byte[] input, boolean allowEmpty) throws GateInputException {
        String text = new String(input, StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return List.of();
        }
        if (!text.endsWith("\n")) {
            throw new GateInputException("input ends in the middle of a line (truncated)");
        }
        List<String> out = new ArrayList<>();
        for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
            out.add(line);
        }
        return out;
    }

    private static String shorten(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 60 ? printable.substring(0, 60) + "…" : printable;
    }
}
