package dev.gatekeeper.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditTrailTest {
    @TempDir Path tmp;

    private static final AuditTrail.Budget SMALL = new AuditTrail.Budget(4 * 1024, 1);
    private static final AuditTrail.Budget ROOMY = new AuditTrail.Budget(1024 * 1024, 5);

    private static Event event(String type, String rule, String decision, int n) {
        return Event.of(EventType.of(type).orElseThrow()).time(Instant.parse("2025-06-01T12:00:00Z").plusMillis(n)).ref("refs/heads/b" + n)
                .rule(rule).decision(decision).reason("x".repeat(200)).build();
    }

    @Test
    void eachEventGoesToTheLogOfWhoCanMakeItGrow() {
        assertEquals(AuditTrail.Retention.LEDGER, AuditTrail.retentionOf(event("push.break-glass", "fail-closed",
                "allowed", 0)));
        assertEquals(AuditTrail.Retention.LEDGER, AuditTrail.retentionOf(event("push.allowed", "refs/heads/main",
                "allowed", 0)));
        assertEquals(AuditTrail.Retention.LEDGER, AuditTrail.retentionOf(event("push.landed", "refs/heads/main",
                "landed", 0)));
        assertEquals(AuditTrail.Retention.ORDINARY, AuditTrail.retentionOf(event("push.allowed", "unprotected",
                "allowed", 0)));
        assertEquals(AuditTrail.Retention.ORDINARY, AuditTrail.retentionOf(event("push.landed", "unprotected",
                "landed", 0)));
        assertEquals(AuditTrail.Retention.SECURITY, AuditTrail.retentionOf(event("push.refused", "unprotected",
                "refused", 0)));
        assertEquals(AuditTrail.Retention.SECURITY, AuditTrail.retentionOf(event("push.summary", null, "refused",
                0)));
        assertEquals(AuditTrail.Retention.ORDINARY, AuditTrail.retentionOf(event("push.summary", null, "allowed",
                0)));
        assertEquals(AuditTrail.Retention.SECURITY, AuditTrail.retentionOf(event("alert.failed", null, null, 0)));
    }

    @Test
    void siblingsAreNamedAfterTheOrdinaryLog() {
        assertEquals(tmp.resolve("ledger.jsonl"), AuditTrail.sibling(tmp.resolve("events.jsonl"), "ledger"));
        assertEquals(tmp.resolve("app.security.jsonl"), AuditTrail.sibling(tmp.resolve("app.jsonl"), "security"));
        assertEquals(tmp.resolve("audit.log.ledger.jsonl"), AuditTrail.sibling(tmp.resolve("audit.log"), "ledger"));
    }

    @Test
    void ordinaryTrafficThatRotatesItsOwnLogManyTimesOverLeavesTheLedgerAndTheSecurityLogWhole() throws Exception {
        AuditTrail trail = new AuditTrail(tmp.resolve("events.jsonl"), SMALL, ROOMY, ROOMY);
        List<Event> kept = List.of(event("push.break-glass", "refs/heads/main", "allowed", 1),
                event("push.landed", "refs/heads/main", "landed", 2), event("push.refused", "refs/heads/main",
                        "refused", 3));
        trail.write(kept);
        for (int i = 0; i < 500; i++) {
            trail.write(List.of(event("push.allowed", "unprotected", "allowed", 10 + i)));
        }

        List<Event> all = trail.readAll().events();
        assertTrue(all.containsAll(kept), "the ledger and security events outlive the flood");
        assertTrue(all.size() < 3 + 500, "the ordinary log did rotate");
        assertEquals(2, trail.log(AuditTrail.Retention.ORDINARY).files().size(), "its budget holds: 1 + 1 rotated");
        for (int i = 1; i < all.size(); i++) {
            assertFalse(all.get(i).time().isBefore(all.get(i - 1).time()), "one timeline, by time");
        }
    }

    @Test
    void aLogThatCannotBeWrittenIsNamedAndTheOthersAreStillWritten() throws Exception {
        Path blocked = Files.writeString(tmp.resolve("ledger.jsonl"), "");
        Files.delete(blocked);
        Files.createDirectories(blocked); // a folder where the ledger should be
        AuditTrail trail = new AuditTrail(tmp.resolve("events.jsonl"), ROOMY, ROOMY, ROOMY);
        List<Event> events = new ArrayList<>(List.of(event("push.allowed", "refs/heads/main", "allowed", 1),
                event("push.allowed", "unprotected", "allowed", 2)));

        IOException e = assertThrows(IOException.class, () -> trail.write(events));

        assertTrue(e.getMessage().contains("ledger.jsonl"), e.getMessage());
        assertEquals(List.of(events.get(1)), trail.log(AuditTrail.Retention.ORDINARY).readAll().events());
    }
}
