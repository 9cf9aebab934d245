package dev.gatekeeper.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class HookInputTest {
    private static final String ZERO = "0".repeat(40);
    private static final String A1 = "a".repeat(40);
    private static final String B1 = "b".repeat(40);
    private static final String ZERO256 = "0".repeat(64);
    private static final String A256 = "a".repeat(64);
    private static final String B256 = "b".repeat(64);

    private static InputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String preReceiveFails(String input) {
        return assertThrows(GateInputException.class, () -> HookInput.preReceive(in(input))).getMessage();
    }

    @Test
    void preReceiveSha1Lines() throws Exception {
        List<RefUpdate> u = HookInput.preReceive(in(
                A1 + " " + B1 + " refs/heads/main\n"
                        + ZERO + " " + B1 + " refs/heads/feature/x\n"
                        + A1 + " " + ZERO + " refs/tags/v1.0\n"));
        assertEquals(List.of(new RefUpdate(A1, B1, "refs/heads/main"), new RefUpdate(ZERO, B1, "refs/heads/feature/x"),
                new RefUpdate(A1, ZERO, "refs/tags/v1.0")), u);
        assertFalse(u.get(0).isCreate());
        assertFalse(u.get(0).isDelete());
        assertTrue(u.get(1).isCreate());
        assertTrue(u.get(2).isDelete());
    }

    @Test
    void preReceiveSha256Lines() throws Exception {
        List<RefUpdate> u = HookInput.preReceive(in(A256 + " " + B256 + " refs/heads/main\n"
                + ZERO256 + " " + A256 + " refs/heads/new\n"));
        assertEquals(List.of(new RefUpdate(A256, B256, "refs/heads/main"), new RefUpdate(ZERO256, A256, "refs/heads/new")),
                u);
        assertTrue(u.get(1).isCreate());
    }

    @Test
    void preReceiveHead() throws Exception {
        assertEquals(List.of(new RefUpdate(A1, B1, "HEAD")), HookInput.preReceive(in(A1 + " " + B1 + " HEAD\n")));
    }

    @Test
    void garbageIsRefusedWithTheLineNumber() {
        String msg = preReceiveFails(A1 + " " + B1 + " refs/heads/main\nhello world\n");
        assertTrue(msg.startsWith("line 2 is not '<old-sha> <new-sha> <ref>'"), msg);
        assertTrue(msg.contains("hello world"), msg);
    }

    @Test
    void malformedLinesAreRefused() {
        for (String bad : List.of(
                A1 + " " + B1 + "\n",                                   // no ref
                A1 + " " + B1 + " refs/heads/main extra\n",             // extra field
                A1 + "  " + B1 + " refs/heads/main\n",                  // two spaces
                A1 + "\t" + B1 + "\trefs/heads/main\n",                 // tabs
                A1.toUpperCase() + " " + B1 + " refs/heads/main\n",     // upper-case hex
                "a".repeat(39) + " " + B1 + " refs/heads/main\n",       // short id
                "g".repeat(40) + " " + B1 + " refs/heads/main\n",       // not hex
                A1 + " " + B1 + " heads/main\n",                        // not a full ref
                A1 + " " + B1 + " refs/heads/main\r\n",                 // CRLF
                "\n",                                                   // blank line
                A1 + " " + B1 + " refs/heads/main\n\n")) {              // trailing blank line
            assertThrows(GateInputException.class, () -> HookInput.preReceive(in(bad)), bad);
        }
    }

    @Test
    void truncatedLastLineIsRefused() {
        String msg = preReceiveFails(A1 + " " + B1 + " refs/heads/main\n" + A1 + " " + B1 + " refs/heads/dev");
        assertTrue(msg.contains("truncated"), msg);
        assertTrue(preReceiveFails(A1 + " " + B1 + " refs/heads/main").contains("truncated"));
    }

    @Test
    void emptyInputIsRefused() {
        String msg = preReceiveFails("");
        assertTrue(msg.startsWith("no ref updates"), msg);
    }

    @Test
    void mixedHashLengthsAreRefused() {
        assertTrue(preReceiveFails(A1 + " " + B256 + " refs/heads/main\n").startsWith("line 1 "));
        assertTrue(preReceiveFails(ZERO256 + " " + B1 + " refs/heads/main\n").startsWith("line 1 "));
    }

    @Test
    void zeroOnBothSidesIsRefused() {
        String msg = preReceiveFails(A1 + " " + B1 + " refs/heads/main\n" + ZERO + " " + ZERO + " refs/heads/x\n");
        assertEquals("line 2 has zero ids on both sides", msg);
        assertTrue(preReceiveFails(ZERO256 + " " + ZERO256 + " refs/heads/x\n").contains("zero ids on both sides"));
    }

    @Test
    void controlCharactersAreNotEchoedRaw() {
        String msg = preReceiveFails("\u001b[31mred\u0007\n");
        assertFalse(msg.contains("\u001b"), msg);
        assertFalse(msg.contains("\u0007"), msg);
    }

    @Test
    void longGarbageIsShortenedInTheMessage() {
        String msg = preReceiveFails("x".repeat(10_000) + "\n");
        assertTrue(msg.length() < 200, "message length " + msg.length());
    }

    @Test
    void oversizedInputIsRefused() {
        InputStream endless = new InputStream() {
            private long left = HookInput.MAX_BYTES + 100_000L;

            @Override
            public int read() {
                return left-- > 0 ? 'a' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                Arrays.fill(b, off, off + n, (byte) 'a');
                left -= n;
                return n;
            }
        };
        GateInputException e = assertThrows(GateInputException.class, () -> HookInput.preReceive(endless));
        assertTrue(e.getMessage().startsWith("more than " + HookInput.MAX_BYTES + " bytes"), e.getMessage());
    }

    // ---- pre-push ----

    @Test
    void prePushLinesBecomeTheRemoteUpdates() throws Exception {
        List<RefUpdate> u = HookInput.prePush(in(
                "refs/heads/main " + B1 + " refs/heads/main " + A1 + "\n"
                        + "refs/heads/topic " + B1 + " refs/heads/topic " + ZERO + "\n"
                        + "(delete) " + ZERO + " refs/heads/old " + A1 + "\n"));
        assertEquals(List.of(new RefUpdate(A1, B1, "refs/heads/main"), new RefUpdate(ZERO, B1, "refs/heads/topic"),
                new RefUpdate(A1, ZERO, "refs/heads/old")), u);
        assertTrue(u.get(1).isCreate());
        assertTrue(u.get(2).isDelete());
    }

    @Test
    void prePushSha256() throws Exception {
        assertEquals(List.of(new RefUpdate(A256, B256, "refs/heads/main")),
                HookInput.prePush(in("HEAD " + B256 + " refs/heads/main " + A256 + "\n")));
    }

    @Test
    void prePushEmptyInputIsAllowed() throws Exception {
        assertEquals(List.of(), HookInput.prePush(in("")));
    }

    @Test
    void prePushGarbageTruncationAndMixedLengthsAreRefused() {
        for (String bad : List.of(
                "refs/heads/main " + B1 + " refs/heads/main\n",
                "refs/heads/main " + B1 + " refs/heads/main " + A1,
                "refs/heads/main " + B1 + " refs/heads/main " + A256 + "\n",
                "hello\n",
                "\n")) {
            assertThrows(GateInputException.class, () -> HookInput.prePush(in(bad)), bad);
        }
    }
    /** The regular expression the parser replaced, kept here as the reference it must agree with. */
    private static final java.util.regex.Pattern REFERENCE = java.util.regex.Pattern.compile(
            "([0-9a-f]{40}|[0-9a-f]{64}) ([0-9a-f]{40}|[0-9a-f]{64}) (refs/\\S+|HEAD)");

    @Test
    void theWrittenOutParserAgreesWithTheRegularExpressionOnFortyThousandMutatedLines() {
        java.util.Random rnd = new java.util.Random(42);
        String alphabet = "0123456789abcdefABCDEF gG/refsHEAD\t\u000b\f\r-_.\u00e9:";
        for (int i = 0; i < 40_000; i++) {
            int len = rnd.nextBoolean() ? 40 : 64;
            StringBuilder line = new StringBuilder();
            for (int k = 0; k < 2; k++) {
                for (int j = 0; j < len; j++) {
                    line.append("0123456789abcdef".charAt(rnd.nextInt(16)));
                }
                line.append(' ');
            }
            line.append(rnd.nextInt(5) == 0 ? "HEAD" : "refs/heads/b" + i);
            for (int m = rnd.nextInt(4); m > 0; m--) { // mutations: replace, insert or delete one character
                int at = rnd.nextInt(line.length() + 1);
                char c = alphabet.charAt(rnd.nextInt(alphabet.length()));
                switch (rnd.nextInt(3)) {
                    case 0: if (at < line.length()) { line.setCharAt(at, c); } break;
                    case 1: line.insert(at, c); break;
                    default: if (at < line.length()) { line.deleteCharAt(at); } break;
                }
            }
            String l = line.toString();
            java.util.regex.Matcher m = REFERENCE.matcher(l);
            boolean expected = m.matches() && m.group(1).length() == m.group(2).length();
            RefUpdate u = HookInput.receiveLine(l);
            assertEquals(expected, u != null, l);
            if (expected) {
                assertEquals(new RefUpdate(m.group(1), m.group(2), m.group(3)), u, l);
            }
        }
    }
}
