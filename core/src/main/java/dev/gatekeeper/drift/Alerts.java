package dev.gatekeeper.drift;

import dev.gatekeeper.notify.Alert;
import dev.gatekeeper.notify.Notifier;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Alerts people do not mute: one when drift appears (or new drift joins it), a reminder at most once a day while
 * it lasts, one "resolved" when it is gone. Nothing while it is unchanged within the day, nothing for a target
 * that could not be scanned (its last known findings stand). A failed send is retried on the next run.
 */
final class Alerts {
    static final Duration REMIND_EVERY = Duration.ofDays(1);

    private Alerts() {}

    /** What to tell about one target, given what it was told last; null when nothing. */
    static Alert decide(TargetResult r, DriftState.TargetState before, Instant now) {
        if (r.status() == TargetResult.Status.ERROR) {
            return null;
        }
        Set<String> told = before == null ? Set.of() : new TreeSet<>(before.alerted());
        Set<String> nowKeys = new TreeSet<>();
        r.findings().forEach(f -> nowKeys.add(f.key()));
        if (nowKeys.isEmpty()) {
            return told.isEmpty() ? null : alert("info", "drift resolved: " + r.target().id(),
                    "The drift reported earlier is gone.", r);
        }
        boolean fresh = !told.containsAll(nowKeys);
        if (fresh) {
            // hooks an older version installed still judge every push: worth a reinstall, not a page
            boolean onlyOutdated = r.findings().stream().allMatch(f -> f.kind() == Finding.Kind.HOOKS_OUTDATED);
            return alert(onlyOutdated ? "warning" : "critical", "drift: " + r.target().id(), text(r), r);
        }
        Instant last = before.alertedAt() == null ? Instant.EPOCH : Instant.parse(before.alertedAt());
        if (!now.isBefore(last.plus(REMIND_EVERY))) {
            return alert("warning", "drift still there: " + r.target().id(), text(r), r);
        }
        return null;
    }

    /** Sends and returns the state to remember: on failure the old alert bookkeeping is kept (retried next run). */
    static String send(Notifier notifier, Alert alert) {
        try {
            notifier.send(alert);
            return null;
        } catch (IOException | RuntimeException e) {
            return "alert not sent to " + notifier.describe() + ": " + e.getMessage();
        }
    }

    private static String text(TargetResult r) {
        List<String> lines = new ArrayList<>();
        for (Finding f : r.findings()) {
            lines.add("- " + f.kind() + " " + f.subject() + ": " + f.detail());
        }
        return String.join("\n", lines);
    }

    private static Alert alert(String severity, String title, String text, TargetResult r) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("target", r.target().id());
        fields.put("findings", String.valueOf(r.findings().size()));
        return new Alert(severity, title, text, null, fields);
    }
}
