package dev.gatekeeper.drift;

import dev.gatekeeper.events.EventType;
import dev.gatekeeper.events.Event;
import dev.gatekeeper.events.EventLog;
import dev.gatekeeper.notify.Alert;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The drift story as events in {@code drift-events.jsonl}, so drift shows up in timelines and incidents beside
 * the gate's and stabilize's: {@code drift.found} when a target has findings it did not have at the last scan,
 * {@code drift.alerted} when people were told, {@code drift.resolved} when a target that had findings has none.
 * A target that could not be scanned writes nothing: its last findings stand.
 */
final class DriftEvents {
    private DriftEvents() {}

    /** Writes what changed for one target; returns a problem line when the log could not be written. */
    static String record(EventLog log, TargetResult r, DriftState.TargetState before, Alert told, Instant scanned,
            Instant now) {
        if (r.status() == TargetResult.Status.ERROR) {
            return null;
        }
        Set<String> was = new TreeSet<>();
        if (before != null) {
            before.findings().forEach(f -> was.add(f.key()));
        }
        List<Finding> fresh = new ArrayList<>();
        for (Finding f : r.findings()) {
            if (!was.contains(f.key())) {
                fresh.add(f);
            }
        }
        String target = r.target().id();
        List<Event> out = new ArrayList<>();
        if (!fresh.isEmpty()) {
            Set<String> kinds = new TreeSet<>();
            fresh.forEach(f -> kinds.add(f.kind().wire()));
            out.add(Event.of(EventType.DRIFT_FOUND).time(scanned).repository(target).ref(r.target().branch())
                    .decision("drift").reason(fresh.size() + " new finding(s): " + String.join(", ", kinds))
                    .detail("findings", String.join("; ", fresh.stream().map(Finding::key).toList()))
                    .detail("location", r.target().location()).build());
        }
        if (told != null) {
            out.add(Event.of(EventType.DRIFT_ALERTED).time(now).repository(target).decision(told.severity())
                    .reason(told.title()).build());
        }
        if (r.findings().isEmpty() && !was.isEmpty()) {
            out.add(Event.of(EventType.DRIFT_RESOLVED).time(now).repository(target).decision("clean")
                    .reason("the drift found earlier is gone").build());
        }
        try {
            for (Event e : out) {
                log.append(e);
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "drift event not written to " + log.file() + ": " + e.getMessage();
        }
    }
}
