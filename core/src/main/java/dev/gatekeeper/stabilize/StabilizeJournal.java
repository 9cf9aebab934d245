package dev.gatekeeper.stabilize;

import dev.gatekeeper.events.Event;
import dev.gatekeeper.events.EventLog;
import dev.gatekeeper.events.EventType;
import dev.gatekeeper.notify.Alert;
import dev.gatekeeper.notify.Notifier;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a stabilize run writes down and tells: its events (each with the run's id and the repository) and its
 * notifications (each recorded as {@code notify.sent} or {@code notify.failed}). A dry run writes and tells
 * nothing. Trouble here is a warning, never a changed verdict: the revert happened whether or not it was logged.
 */
final class StabilizeJournal {
    private final EventLog log;
    private final List<Notifier> notifiers;
    private final String runId;
    private final String repository;
    private final boolean dryRun;
    private final Clock clock;
    private final List<String> warnings = new ArrayList<>();

    StabilizeJournal(EventLog log, List<Notifier> notifiers, String runId, String repository, boolean dryRun,
            Clock clock) {
        this.log = log;
        this.notifiers = List.copyOf(notifiers);
        this.runId = runId;
        this.repository = repository;
        this.dryRun = dryRun;
        this.clock = clock;
    }

    /** Writes {@code b} (with the run's id, the repository and the clock's time) unless this is a dry run. */
    void event(Event.Builder b) {
        if (dryRun) {
            return;
        }
        b.repository(repository).time(clock.instant()).detail("run", runId);
        try {
            log.append(b.build());
        } catch (IOException | RuntimeException e) {
            warnings.add("could not write the audit event to " + log.file() + ": " + e.getMessage());
        }
    }

    /** Tells every notifier, unless this is a dry run; each delivery is an event. */
    void tell(String severity, String title, String text, String ref, Map<String, String> fields) {
        if (dryRun) {
            return;
        }
        Alert alert = new Alert(severity, "gatekeeper: " + title, text, runId, fields);
        for (Notifier n : notifiers) {
            try {
                n.send(alert);
                event(Event.of(EventType.NOTIFY_SENT).ref(ref).decision("sent").reason(n.describe()));
            } catch (IOException | RuntimeException e) {
                String w = "could not notify " + n.describe() + ": " + e.getMessage();
                warnings.add(w);
                event(Event.of(EventType.NOTIFY_FAILED).ref(ref).decision("failed").reason(w));
            }
        }
    }

    void warn(String warning) {
        warnings.add(warning);
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    java.nio.file.Path file() {
        return log.file();
    }
}
