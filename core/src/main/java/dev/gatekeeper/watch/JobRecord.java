package dev.gatekeeper.watch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.gatekeeper.io.JsonTree;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the heartbeat store knows about one scheduled job: its last run (start, end, exit code, findings), its last
 * success, how many runs failed in a row, and the totals its metrics count. One small JSON file per job.
 *
 * @param runningPid         the process of a run that started and has not ended (killed runs leave it set)
 * @param lastSuccess        end of the last run that {@linkplain #worked worked}; null when none did
 * @param findings           the last run's findings by kind; empty for jobs that report none
 * @param totals             counters over the job's event logs, e.g. {@code push_refusals}
 * @param marks              per event log, how far it was counted
 */
public record JobRecord(String job, Instant lastStart, Long runningPid, Instant lastEnd, Integer lastExit,
        Long lastDurationMillis, Instant lastSuccess, int consecutiveFailures, long runs, long failures,
        String lastSummary, Map<String, Long> findings, Map<String, Long> totals, LastIncident lastIncident,
        Map<String, EventMark> marks) {
    static final int VERSION = 1;
    private static final JsonFactory FACTORY = new JsonFactory();

    public JobRecord {
        // sorted, so files and metrics come out the same way every time
        findings = findings == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(findings));
        totals = totals == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(totals));
        marks = marks == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(marks));
    }

    /** The last incident found in the job's event logs, with its durations in seconds (null when unknown). */
    public record LastIncident(String kind, String status, Instant start, Double detectSeconds,
            Double recoverSeconds) {}

    /** How far an event log was counted: the newest time seen and the ids of events near it (appends race). */
    public record EventMark(Instant time, List<String> recentIds) {
        public EventMark {
            recentIds = recentIds == null ? List.of() : List.copyOf(recentIds);
        }
    }

    /**
     * Whether a run did its job, whatever it found. A check that reports drift (3) or a revert that recovered
     * the service (5) is the watcher working; a usage error (2), an internal error (1), an inconclusive run (4) or
     * an action that failed (6) is the watcher not working, which is what a dead-man's switch is about.
     */
    public static boolean worked(int exit) {
        return exit == 0 || exit == 3 || exit == 5;
    }

    static JobRecord empty(String job) {
        return new JobRecord(job, null, null, null, null, null, null, 0, 0, 0, null, Map.of(), Map.of(), null,
                Map.of());
    }

    JobRecord withStart(Instant at, long pid) {
        if (lastStart != null && at.isBefore(lastStart)) {
            return this; // overlapping runs: a later one already started, and it is the one watch judges
        }
        return new JobRecord(job, at, pid, lastEnd, lastExit, lastDurationMillis, lastSuccess, consecutiveFailures,
                runs, failures, lastSummary, findings, totals, lastIncident, marks);
    }

    JobRecord withEnd(Instant start, Instant end, int exit, String summary, Map<String, Long> newFindings) {
        boolean ok = worked(exit);
        Instant latestStart = lastStart == null || start.isAfter(lastStart) ? start : lastStart;
        // another run of the job that started later is still going: keep its pid
        Long pid = latestStart.equals(start) ? null : runningPid;
        return new JobRecord(job, latestStart, pid, end, exit, java.time.Duration.between(start, end).toMillis(),
                ok ? end : lastSuccess, ok ? 0 : consecutiveFailures + 1, runs + 1, ok ? failures : failures + 1,
                summary, newFindings == null ? findings : newFindings, totals, lastIncident, marks);
    }

    JobRecord withCounts(Map<String, Long> newTotals, Map<String, EventMark> newMarks, LastIncident incident) {
        return new JobRecord(job, lastStart, runningPid, lastEnd, lastExit, lastDurationMillis, lastSuccess,
                consecutiveFailures, runs, failures, lastSummary, findings, newTotals, incident == null
                        ? lastIncident : incident, newMarks);
    }

    byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("version", VERSION);
            g.writeStringField("job", job);
            time(g, "lastStart", lastStart);
            if (runningPid != null) {
                g.writeNumberField("runningPid", runningPid);
            }
            time(g, "lastEnd", lastEnd);
            if (lastExit != null) {
                g.writeNumberField("lastExit", lastExit);
            }
            if (lastDurationMillis != null) {
                g.writeNumberField("lastDurationMillis", lastDurationMillis);
            }
            time(g, "lastSuccess", lastSuccess);
            g.writeNumberField("consecutiveFailures", consecutiveFailures);
            g.writeNumberField("runs", runs);
            g.writeNumberField("failures", failures);
            if (lastSummary != null) {
                g.writeStringField("lastSummary", lastSummary);
            }
            counts(g, "findings", findings);
            counts(g, "totals", totals);
            if (lastIncident != null) {
                g.writeObjectFieldStart("lastIncident");
                g.writeStringField("kind", lastIncident.kind());
                g.writeStringField("status", lastIncident.status());
                time(g, "start", lastIncident.start());
                if (lastIncident.detectSeconds() != null) {
                    g.writeNumberField("detectSeconds", lastIncident.detectSeconds());
                }
                if (lastIncident.recoverSeconds() != null) {
                    g.writeNumberField("recoverSeconds", lastIncident.recoverSeconds());
                }
                g.writeEndObject();
            }
            g.writeObjectFieldStart("marks");
            for (Map.Entry<String, EventMark> m : marks.entrySet()) {
                g.writeObjectFieldStart(m.getKey());
                time(g, "time", m.getValue().time());
                g.writeArrayFieldStart("recentIds");
                for (String id : m.getValue().recentIds()) {
                    g.writeString(id);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** @throws IOException when the bytes are not a job record (a damaged or foreign file) */
    @SuppressWarnings("unchecked")
    static JobRecord fromJson(byte[] bytes) throws IOException {
        Map<String, Object> m = JsonTree.object(bytes);
        try {
            Object v = m.get("version");
            if (!(v instanceof Long n) || n != VERSION) {
                throw new IOException("unknown version " + v + " (this gatekeeper reads version " + VERSION + ")");
            }
            String job = (String) m.get("job");
            if (job == null) {
                throw new IOException("no job name");
            }
            Map<String, EventMark> marks = new TreeMap<>();
            Map<String, Object> ms = (Map<String, Object>) m.getOrDefault("marks", Map.of());
            for (Map.Entry<String, Object> e : ms.entrySet()) {
                Map<String, Object> mk = (Map<String, Object>) e.getValue();
                marks.put(e.getKey(), new EventMark(instant(mk.get("time")),
                        ((List<Object>) mk.getOrDefault("recentIds", List.of())).stream().map(String::valueOf)
                                .toList()));
            }
            LastIncident li = null;
            Map<String, Object> inc = (Map<String, Object>) m.get("lastIncident");
            if (inc != null) {
                li = new LastIncident((String) inc.get("kind"), (String) inc.get("status"), instant(inc.get("start")),
                        number(inc.get("detectSeconds")), number(inc.get("recoverSeconds")));
            }
            return new JobRecord(job, instant(m.get("lastStart")), (Long) m.get("runningPid"),
                    instant(m.get("lastEnd")), m.get("lastExit") == null ? null : ((Long) m.get("lastExit")).intValue(),
                    (Long) m.get("lastDurationMillis"), instant(m.get("lastSuccess")),
                    ((Long) m.getOrDefault("consecutiveFailures", 0L)).intValue(), (Long) m.getOrDefault("runs", 0L),
                    (Long) m.getOrDefault("failures", 0L), (String) m.get("lastSummary"),
                    longs(m.get("findings")), longs(m.get("totals")), li, marks);
        } catch (ClassCastException | java.time.format.DateTimeParseException e) {
            throw new IOException("not a job record: " + e.getMessage(), e);
        }
    }

    private static void time(JsonGenerator g, String name, Instant t) throws IOException {
        if (t != null) {
            g.writeStringField(name, t.toString());
        }
    }

    private static void counts(JsonGenerator g, String name, Map<String, Long> counts) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    private static Instant instant(Object o) {
        return o == null ? null : Instant.parse((String) o);
    }

    private static Double number(Object o) {
        return o == null ? null : ((Number) o).doubleValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> longs(Object o) {
        Map<String, Long> out = new TreeMap<>();
        if (o != null) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) o).entrySet()) {
                out.put(e.getKey(), (Long) e.getValue());
            }
        }
        return out;
    }
}
