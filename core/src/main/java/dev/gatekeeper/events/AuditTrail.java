package dev.gatekeeper.events;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The gate's audit trail: three logs, each with its own rotation budget, so that no single pusher can flush what
 * matters. Who can make a log grow decides which log an event goes to:
 * <ul>
 *   <li>{@link Retention#LEDGER} ({@code ledger.jsonl}): allowed and landed updates of protected refs and
 *       break-glass uses. Only a push with credentials (a pipeline token, a pipeline pusher, the admins' break-glass
 *       secret) writes here, so no anonymous flood rotates it; drift reads its provenance from it.</li>
 *   <li>{@link Retention#SECURITY} ({@code security.jsonl}): refusals, policy and internal errors, failed alerts.
 *       Anyone can cause a refusal, but only refusals rotate refusals: ordinary traffic never does.</li>
 *   <li>{@link Retention#ORDINARY} ({@code events.jsonl}): everything else (updates of unprotected refs, what
 *       landed there, summaries of large pushes).</li>
 * </ul>
 * Each event is in exactly one file; readers merge them by time. The gate also bounds what one push writes to the
 * ordinary and security logs (see {@code dev.gatekeeper.gate.PushAudit}).
 *
 * <p>The ledger and the security log sit beside the ordinary log: {@code events.jsonl} has {@code security.jsonl}
 * and {@code ledger.jsonl}; any other name {@code X.jsonl} (or {@code X}) has {@code X.security.jsonl} and
 * {@code X.ledger.jsonl}.
 */
public final class AuditTrail {
    /** Which log, by who can make it grow. */
    public enum Retention { ORDINARY, SECURITY, LEDGER }

    /** A log's size limit and how many rotated files it keeps. */
    public record Budget(long maxFileBytes, int maxFiles) {}

    static final String DEFAULT_NAME = "events.jsonl";

    private final Map<Retention, EventLog> logs = new EnumMap<>(Retention.class);
    private final Map<Retention, Budget> budgets = new EnumMap<>(Retention.class);

    public AuditTrail(Path eventsFile, Budget ordinary, Budget security, Budget ledger) {
        budgets.put(Retention.ORDINARY, ordinary);
        budgets.put(Retention.SECURITY, security);
        budgets.put(Retention.LEDGER, ledger);
        logs.put(Retention.ORDINARY, new EventLog(eventsFile, ordinary.maxFileBytes(), ordinary.maxFiles()));
        logs.put(Retention.SECURITY, new EventLog(sibling(eventsFile, "security"), security.maxFileBytes(),
                security.maxFiles()));
        logs.put(Retention.LEDGER, new EventLog(sibling(eventsFile, "ledger"), ledger.maxFileBytes(),
                ledger.maxFiles()));
    }

    /** {@code events.jsonl} to {@code ledger.jsonl}; {@code app.jsonl} to {@code app.ledger.jsonl}. */
    static Path sibling(Path eventsFile, String kind) {
        String name = eventsFile.getFileName().toString();
        if (name.equals(DEFAULT_NAME)) {
            return eventsFile.resolveSibling(kind + ".jsonl");
        }
        String stem = name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
        return eventsFile.resolveSibling(stem + "." + kind + ".jsonl");
    }

    public EventLog log(Retention r) {
        return logs.get(r);
    }

    public Budget budget(Retention r) {
        return budgets.get(r);
    }

    /** Where an event is kept, by its type and rule (see the class comment). */
    public static Retention retentionOf(Event e) {
        EventType type = EventType.of(e.type()).orElse(null);
        if (type == EventType.PUSH_BREAK_GLASS) {
            return Retention.LEDGER;
        }
        if (type == EventType.PUSH_ALLOWED || type == EventType.PUSH_LANDED) {
            return e.rule() != null && !"unprotected".equals(e.rule()) ? Retention.LEDGER : Retention.ORDINARY;
        }
        if (type == EventType.PUSH_REFUSED || type == EventType.ALERT_FAILED) {
            return Retention.SECURITY;
        }
        return "refused".equals(e.decision()) ? Retention.SECURITY : Retention.ORDINARY;
    }

    /**
     * Writes the events, each to its log: one append (one lock, one fsync) per log that gets any. Every log is
     * attempted even when one fails.
     *
     * @throws IOException naming every log that could not be written
     */
    public void write(List<Event> events) throws IOException {
        write(List.of(), events);
    }

    /**
     * {@link #write} after lines already written as JSON and sorted by log (landings recorded earlier, folded in),
     * still one append per log.
     */
    public void write(List<Map<Retention, List<String>>> before, List<Event> events) throws IOException {
        Map<Retention, List<String>> byLog = new EnumMap<>(Retention.class);
        for (Map<Retention, List<String>> b : before) {
            b.forEach((r, lines) -> byLog.computeIfAbsent(r, k -> new ArrayList<>()).addAll(lines));
        }
        for (Event e : events) {
            byLog.computeIfAbsent(retentionOf(e), r -> new ArrayList<>()).add(EventJson.write(e));
        }
        writeLines(byLog);
    }

    /** {@link #write} of events already written as JSON lines and sorted by log. */
    public void writeLines(Map<Retention, List<String>> byLog) throws IOException {
        IOException failed = null;
        for (Map.Entry<Retention, List<String>> b : byLog.entrySet()) {
            EventLog log = logs.get(b.getKey());
            try {
                log.appendLines(b.getValue());
            } catch (IOException | RuntimeException e) {
                IOException wrapped = new IOException(log.file() + ": " + e.getMessage(), e);
                if (failed == null) {
                    failed = wrapped;
                } else {
                    failed.addSuppressed(wrapped);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /** The files of every log, rotated ones included, oldest first per log. */
    public List<Path> files() {
        List<Path> out = new ArrayList<>();
        for (EventLog l : logs.values()) {
            out.addAll(l.files());
        }
        return out;
    }

    /**
     * Events recorded but kept outside the logs until a later write folds them in (the gate's landed notes); read
     * with the logs, each event once.
     */
    public AuditTrail withPending(Supplier<List<Event>> pending) {
        this.pending = pending;
        return this;
    }

    private Supplier<List<Event>> pending = List::of;

    /** Every event still kept in any of the logs (and pending), each id once, ordered by time. */
    public EventLog.ReadResult readAll() throws IOException {
        List<Event> events = new ArrayList<>();
        int bad = 0;
        for (EventLog l : logs.values()) {
            EventLog.ReadResult r = l.readAll();
            events.addAll(r.events());
            bad += r.unreadable();
        }
        events.addAll(pending.get());
        Set<String> seen = new HashSet<>();
        List<Event> once = new ArrayList<>(events.size());
        for (Event e : events) {
            if (seen.add(e.id())) {
                once.add(e); // a landing folded while we read is in a log and still pending: one of it
            }
        }
        once.sort(Comparator.comparing(Event::time));
        return new EventLog.ReadResult(once, bad);
    }

    /** The ordinary log's file, by which the trail is named in messages. */
    public Path file() {
        return logs.get(Retention.ORDINARY).file();
    }
}
