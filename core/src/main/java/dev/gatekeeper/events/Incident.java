package dev.gatekeeper.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Events that belong to one story, measured: when it started, when it was detected, when people were told, when
 * it was over. Built by {@link Incidents} from the audit logs; nothing here is stored.
 *
 * @param id        the id of the event the incident is named after (its first event)
 * @param start     when the trouble began, as far as the events tell (the merge that broke the service, the first
 *                  refused push, the scan that found drift)
 * @param detected  when Gatekeeper saw it (the failing probe, the refusal, the finding)
 * @param alerted   when a notification was sent, null when none is recorded
 * @param recovered when it was over (recovery confirmed, break-glass let the fix in, drift resolved or healed);
 *                  null while it lasts
 * @param startKnown false when the events cannot tell when the trouble began (drift: between two scans), so the
 *                   time to detect is unknown rather than zero
 * @param eventIds  every event of the incident, oldest first, for {@code gatekeeper events show}
 */
public record Incident(String id, Kind kind, Status status, String title, String repository, String ref,
        Instant start, boolean startKnown, Instant detected, Instant alerted, Instant recovered,
        List<String> eventIds) {

    public Incident {
        eventIds = List.copyOf(eventIds);
    }

    public enum Kind {
        /** a merge broke the service; stabilize reverted it. */
        REVERT("revert"),
        /** something bypassed the pipeline; the drift scan found it. */
        DRIFT("drift"),
        /** protected pushes were refused until break-glass let one through. */
        BREAK_GLASS("break-glass");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public enum Status {
        RECOVERED("recovered"), OPEN("open"), FAILED("needs a human");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Start to detection; null when the start is unknown. */
    public Duration timeToDetect() {
        return startKnown && detected != null ? Duration.between(start, detected) : null;
    }

    /** Start to recovery (the whole outage as the events saw it); null while open. */
    public Duration timeToRecover() {
        return recovered == null ? null : Duration.between(start, recovered);
    }

    /** Short human form of a duration: 850ms, 42.1s, 3m 05s, 2h 10m, 3d 4h; "-" for null. */
    public static String format(Duration d) {
        if (d == null) {
            return "-";
        }
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format(java.util.Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(java.util.Locale.ROOT, "%dh %02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(java.util.Locale.ROOT, "%dd %dh", s / 86_400, s % 86_400 / 3600);
    }
}
