package dev.gatekeeper.gate;

import dev.gatekeeper.events.EventType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.events.AuditTrail;
import dev.gatekeeper.events.Event;
import dev.gatekeeper.events.EventJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LandingNoteTest {
    private static final String A = "1".repeat(40);
    private static final String B = "2".repeat(40);
    private static final AuditTrail.Budget BUDGET = new AuditTrail.Budget(1 << 20, 3);

    @TempDir Path tmp;

    private AuditTrail trail() {
        return new AuditTrail(tmp.resolve("audit/events.jsonl"), BUDGET, BUDGET, BUDGET);
    }

    private static Event landed(String ref, String rule) {
        return Event.of(EventType.PUSH_LANDED).time(Instant.parse("2025-06-01T12:00:00Z")).repository("app").ref(ref)
                .oldId(A).newId(B).decision("landed").rule(rule).build();
    }

    private static byte[] input(String... lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** What the post-receive script computes with the system's cksum: "CRC-LENGTH". */
    private static String cksum(byte[] data) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("cksum").redirectErrorStream(true).start();
        p.getOutputStream().write(data);
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String[] f = out.split("\\s+");
        return f[0] + "-" + f[1];
    }

    @Test
    void theKeyIsWhatPosixCksumPrintsForSeededRandomInputs() throws Exception {
        Random rnd = new Random(7);
        for (int i = 0; i < 60; i++) {
            byte[] data = new byte[i < 5 ? i : rnd.nextInt(i < 50 ? 300 : 70_000)];
            rnd.nextBytes(data);
            assertEquals(cksum(data), LandingNote.key(data), "input of " + data.length + " bytes");
        }
    }

    @Test
    void aNoteIsTakenOnlyForTheInputItHoldsAndOnlyOnce() throws Exception {
        byte[] both = input(A + " " + B + " refs/heads/main", A + " " + B + " refs/heads/f");
        LandingNote.leave(tmp, both, trail(), List.of(landed("refs/heads/main", "refs/heads/main"),
                landed("refs/heads/f", "unprotected")), Instant.now());
        Instant at = Instant.parse("2026-12-01T00:00:01.5Z");

        LandingNote.Note note = LandingNote.take(tmp, both, at).orElseThrow();
        Event e = EventJson.read(note.lines().get(AuditTrail.Retention.LEDGER).get(0));
        assertEquals(at, e.time(), "the time it landed");
        assertEquals("refs/heads/main", e.ref());
        assertEquals(1, note.lines().get(AuditTrail.Retention.ORDINARY).size());
        try (var left = Files.list(LandingNote.dir(tmp))) {
            assertEquals(0, left.count(), "taken: note and input removed");
        }
        assertTrue(LandingNote.take(tmp, both, at).isEmpty(), "only once");
    }

    @Test
    void twoNotesForOneInputAreTwoIdenticalPushesAndNeitherIsTrusted() {
        byte[] in = input(A + " " + B + " refs/heads/main");
        for (int i = 0; i < 2; i++) {
            LandingNote.leave(tmp, in, trail(), List.of(landed("refs/heads/main", "refs/heads/main")),
                    Instant.now());
        }
        assertTrue(LandingNote.take(tmp, in, Instant.now()).isEmpty());
    }

    @Test
    void aLandedNoteIsPendingUntilAClaimFoldsItAndNobodyFoldsItTwice() throws Exception {
        byte[] in = input(A + " " + B + " refs/heads/main");
        LandingNote.leave(tmp, in, trail(), List.of(landed("refs/heads/main", "refs/heads/main")), Instant.now());
        Path note;
        try (var s = Files.list(LandingNote.dir(tmp))) {
            note = s.filter(p -> p.toString().endsWith(".note")).findFirst().orElseThrow();
        }
        String base = note.getFileName().toString().replace(".note", "");
        Files.move(note, note.resolveSibling(base + ".landed")); // what the post-receive script does
        List<Event> pending = LandingNote.pending(tmp);
        assertEquals(1, pending.size());
        assertEquals("push.landed", pending.get(0).type());

        LandingNote.Claimed first = LandingNote.claimLanded(tmp, Instant.now());
        LandingNote.Claimed second = LandingNote.claimLanded(tmp, Instant.now());
        assertEquals(1, first.notes().size());
        assertEquals(0, second.notes().size(), "claimed once");
        assertEquals(pending.get(0).time(), EventJson.read(first.notes().get(0).lines()
                .get(AuditTrail.Retention.LEDGER).get(0)).time(), "the landing time survives the claim");
        assertEquals(1, LandingNote.pending(tmp).size(), "still visible while it is being folded");
        LandingNote.remove(first.files());
        assertEquals(0, LandingNote.pending(tmp).size());
        try (var left = Files.list(LandingNote.dir(tmp))) {
            assertEquals(0, left.count());
        }
    }
}
