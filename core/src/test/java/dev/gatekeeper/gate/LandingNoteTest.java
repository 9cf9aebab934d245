package dev.gatekeeper.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.events.AuditTrail;
import dev.gatekeeper.events.Event;
import dev.gatekeeper.events.EventJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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
        return Event.of("push.landed").time(Instant.parse("2025-06-01T12:00:00Z")).repository("app").ref(ref)
                .oldId(A).newId(B).decision("landed").rule(rule).build();
    }

    @Test
    void aNoteIsTakenOnlyForTheInputItRecordsAndOnlyOnce() throws Exception {
        List<String> lines = List.of(A + " " + B + " refs/heads/main", A + " " + B + " refs/heads/f");
        byte[] input = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        LandingNote.leave(tmp, lines, input, trail(), List.of(landed("refs/heads/main", "refs/heads/main"),
                landed("refs/heads/f", "unprotected")), Instant.now());

        assertTrue(LandingNote.take(tmp, input, List.of(lines.get(0)), Instant.now()).isEmpty(),
                "the same bucket, another input: not this push's note");
        LandingNote.leave(tmp, lines, input, trail(), List.of(landed("refs/heads/main", "refs/heads/main")),
                Instant.now());
        Instant at = Instant.parse("2026-12-01T00:00:01.5Z");
        LandingNote.Note note = LandingNote.take(tmp, input, lines, at).orElseThrow();
        assertEquals(1, note.events());
        Event e = EventJson.read(note.lines().get(AuditTrail.Retention.LEDGER).get(0));
        assertEquals(at, e.time(), "the time it landed");
        assertEquals("refs/heads/main", e.ref());
        try (var left = Files.list(LandingNote.dir(tmp))) {
            assertEquals(0, left.count(), "taken, and the earlier note for this input with it");
        }
        assertTrue(LandingNote.take(tmp, input, lines, at).isEmpty(), "only once");
    }

    @Test
    void twoNotesForOneInputAreTwoIdenticalPushesAndNeitherIsTrusted() {
        List<String> lines = List.of(A + " " + B + " refs/heads/main");
        byte[] input = (lines.get(0) + "\n").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 2; i++) {
            LandingNote.leave(tmp, lines, input, trail(), List.of(landed("refs/heads/main", "refs/heads/main")),
                    Instant.now());
        }
        assertTrue(LandingNote.take(tmp, input, lines, Instant.now()).isEmpty());
    }
}
