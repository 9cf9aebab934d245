package dev.gatekeeper.watch;

import dev.gatekeeper.events.EventType;
import dev.gatekeeper.events.Event;
import dev.gatekeeper.events.EventLog;
import dev.gatekeeper.events.Incident;
import dev.gatekeeper.events.Incidents;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Counts, across runs, the events a job's logs gained since it last looked: the {@code _total} counters of its
 * metrics must only ever grow, while the logs rotate under them. Each log keeps a mark (the newest time counted
 * and the ids near it); an event is counted once, when it is newer than the mark or near it and not yet seen.
 * "Near" is {@link #SKEW}: concurrent writers append under a lock, so an event may land up to the lock's wait
 * after a newer one.
 */
final class EventCounter {
    static final Duration SKEW = Duration.ofSeconds(60);
    /** Counter name (without gatekeeper_ and _total) by the event types it counts. */
    static final Map<String, Set<EventType>> COUNTERS = counters();
    /** Rotated files are looked for up to this many (the gate's default keeps 5). */
    private static final int MAX_ROTATED = 50;

    private EventCounter() {}

    private static Map<String, Set<EventType>> counters() {
        Map<String, Set<EventType>> m = new LinkedHashMap<>();
        m.put("reverts_pushed", Set.of(EventType.REVERT_PUSHED));
        m.put("revert_failures", Set.of(EventType.REVERT_FAILED, EventType.REVERT_CONFLICT, EventType.DEPLOY_FAILED,
                EventType.RECOVERY_FAILED));
        m.put("push_refusals", Set.of(EventType.PUSH_REFUSED));
        m.put("break_glass_uses", Set.of(EventType.PUSH_BREAK_GLASS));
        m.put("drift_alerts", Set.of(EventType.DRIFT_ALERTED));
        return m;
    }

    record Counted(Map<String, Long> totals, Map<String, JobRecord.EventMark> marks, JobRecord.LastIncident last) {}

    static Counted count(List<Path> logs, Map<String, Long> totals, Map<String, JobRecord.EventMark> marks)
            throws IOException {
        Map<String, Long> t = new TreeMap<>();
        COUNTERS.keySet().forEach(k -> t.put(k, totals.getOrDefault(k, 0L)));
        Map<String, JobRecord.EventMark> m = new TreeMap<>(marks);
        List<Event> all = new ArrayList<>();
        for (Path log : logs) {
            String key = log.toAbsolutePath().normalize().toString();
            List<Event> events = new EventLog(log, Long.MAX_VALUE, MAX_ROTATED).readAll().events();
            all.addAll(events);
            JobRecord.EventMark mark = m.get(key);
            Instant newest = mark == null ? Instant.EPOCH : mark.time();
            Set<String> seen = mark == null ? Set.of() : Set.copyOf(mark.recentIds());
            Instant floor = mark == null ? null : mark.time().minus(SKEW);
            for (Event e : events) {
                if (floor != null && (!e.time().isAfter(floor) || seen.contains(e.id()))) {
                    continue; // counted by an earlier run
                }
                if (e.selfTest()) {
                    continue; // an install proving its gate, not a push
                }
                for (Map.Entry<String, Set<EventType>> c : COUNTERS.entrySet()) {
                    if (c.getValue().stream().anyMatch(e::is)) {
                        t.merge(c.getKey(), 1L, Long::sum);
                    }
                }
                if (e.time().isAfter(newest)) {
                    newest = e.time();
                }
            }
            Instant keepFrom = newest.minus(SKEW);
            List<String> recent = new ArrayList<>();
            for (Event e : events) {
                if (e.time().isAfter(keepFrom)) {
                    recent.add(e.id());
                }
            }
            if (!events.isEmpty() || mark != null) {
                m.put(key, new JobRecord.EventMark(newest, recent));
            }
        }
        List<Incident> incidents = Incidents.group(all);
        JobRecord.LastIncident last = null;
        if (!incidents.isEmpty()) {
            Incident i = incidents.get(incidents.size() - 1);
            last = new JobRecord.LastIncident(i.kind().label(), i.status().label(), i.start(),
                    seconds(i.timeToDetect()), seconds(i.timeToRecover()));
        }
        return new Counted(t, m, last);
    }

    private static Double seconds(Duration d) {
        return d == null ? null : d.toMillis() / 1000.0;
    }
}
