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
    private static final Pattern PRE_RECEIVE = Pattern.compile("([0-9a-f]{40}|[0-9a-f]{64}) ([0-9a-f]{40}|[0-9a-f]{64}) (refs/\\S+|HEAD)");
    private static final Pattern PRE_PUSH = Pattern.compile("(\\S+) ([0-9a-f]{40}|[0-9a-f]{64}) (\\S+) ([0-9a-f]{40}|[0-9a-f]{64})");

    private HookInput() {}

    /** Parses pre-receive (and post-receive) input: {@code <old> <new> <ref>} per line. */
    public static List<RefUpdate> preReceive(InputStream in) throws IOException, GateInputException {
        List<RefUpdate> updates = new ArrayList<>();
        int n = 0;
        for (String line : lines(in, false)) {
            n++;
            Matcher m = PRE_RECEIVE.matcher(line);
            if (!m.matches() || m.group(1).length() != m.group(2).length()) {
                throw new GateInputException("line " + n + " is not '<old-sha> <new-sha> <ref>': " + shorten(line));
            }
            if (RefUpdate.isZero(m.group(1)) && RefUpdate.isZero(m.group(2))) {
                throw new GateInputException("line " + n + " has zero ids on both sides");
            }
            updates.add(new RefUpdate(m.group(1), m.group(2), m.group(3)));
        }
        if (updates.isEmpty()) {
            throw new GateInputException("no ref updates on standard input (git always sends at least one)");
        }
        return updates;
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

    private static List<String> lines(InputStream in, boolean allowEmpty) throws IOException, GateInputException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int r;
        while ((r = in.read(chunk)) != -1) {
            buf.write(chunk, 0, r);
            if (buf.size() > MAX_BYTES) {
                throw new GateInputException("more than " + MAX_BYTES + " bytes on standard input");
            }
        }
        String text = buf.toString(StandardCharsets.UTF_8);
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
