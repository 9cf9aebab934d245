package dev.gatekeeper.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Groups events (from any number of audit logs, merged) into {@link Incident}s. A pure function of the events, so
 * the CLI, the HTML report and the metrics all tell the same story:
 *
 * <ul>
 *   <li><b>revert</b>: one stabilize run (its events share {@code details.run}) whose probes failed. It starts at
 *       the push that landed the merged commit when that log is included ({@code push.allowed} with the commit as
 *       its new id), else at {@code stabilize.start}; it is detected at {@code probe.failed}; it recovers at
 *       {@code recovery.confirmed}, or needs a human after {@code revert.failed}, {@code revert.conflict},
 *       {@code deploy.failed}, {@code recovery.failed} or a refused {@code revert.skipped}.</li>
 *   <li><b>drift</b>: per scan target, from {@code drift.found} to {@code drift.resolved} (or {@code drift.healed}
 *       of a checkout), with {@code drift.alerted} as the moment people were told. When drift began is unknown
 *       (it happened between two scans), so its time to detect is unknown, never zero.</li>
 *   <li><b>break-glass</b>: a {@code push.break-glass} and the refusals of the same repository and ref since that
 *       ref last moved: how long the ref was blocked until break-glass let the fix in.</li>
 * </ul>
 */
public final class Incidents {
    static final Set<EventType> STABILIZE_FAILURES = Set.of(EventType.REVERT_FAILED, EventType.REVERT_CONFLICT,
            EventType.DEPLOY_FAILED, EventType.RECOVERY_FAILED);

    private Incidents() {}

    /** Every incident in {@code events} (any order, several logs), by start time. */
    public static List<Incident> group(List<Event> events) {
        List<Event> sorted = new ArrayList<>(events);
        sorted.removeIf(Event::selfTest); // an install proving its gate is no incident
        sorted.sort(Comparator.comparing(Event::time).thenComparing(Event::id));
        List<Incident> out = new ArrayList<>();
        out.addAll(reverts(sorted));
        out.addAll(drift(sorted));
        out.addAll(breakGlass(sorted));
        out.sort(Comparator.comparing(Incident::start).thenComparing(Incident::id));
        return out;
    }

    private static List<Incident> reverts(List<Event> sorted) {
        Map<String, List<Event>> runs = new LinkedHashMap<>();
        Map<String, List<Event>> landed = new HashMap<>();
        for (Event e : sorted) {
            String run = e.details().get("run");
            if (run != null && EventType.of(e.type()).map(EventType::stabilize).orElse(false)) {
                runs.computeIfAbsent(run, k -> new ArrayList<>()).add(e);
            }
            if ((e.is(EventType.PUSH_ALLOWED) || e.is(EventType.PUSH_BREAK_GLASS)) && e.newId() != null) {
                landed.computeIfAbsent(e.newId(), k -> new ArrayList<>()).add(e);
            }
        }
        List<Incident> out = new ArrayList<>();
        for (List<Event> run : runs.values()) {
            Event failed = first(run, EventType.PROBE_FAILED);
            if (failed == null) {
                continue;
            }
            Event begin = first(run, EventType.STABILIZE_START);
            Event merge = null;
            for (Event p : landed.getOrDefault(failed.newId(), List.of())) {
                if (!p.time().isAfter(failed.time())) {
                    merge = p;
                }
            }
            Set<String> ids = new LinkedHashSet<>();
            if (merge != null) {
                ids.add(merge.id());
            }
            run.forEach(e -> ids.add(e.id()));
            Event pushed = first(run, EventType.REVERT_PUSHED);
            if (pushed != null && pushed.newId() != null) {
                landed.getOrDefault(pushed.newId(), List.of()).forEach(p -> ids.add(p.id()));
            }
            Event confirmed = first(run, EventType.RECOVERY_CONFIRMED);
            boolean needsHuman = run.stream().anyMatch(e -> STABILIZE_FAILURES.stream().anyMatch(e::is)
                    || e.is(EventType.REVERT_SKIPPED) && "refused".equals(e.decision()));
            Incident.Status status = confirmed != null ? Incident.Status.RECOVERED
                    : needsHuman ? Incident.Status.FAILED : Incident.Status.OPEN;
            Instant start = merge != null ? merge.time() : begin != null ? begin.time() : failed.time();
            Instant alerted = run.stream().filter(e -> e.is(EventType.NOTIFY_SENT)
                    && !e.time().isBefore(failed.time())).map(Event::time).findFirst().orElse(null);
            String commit = failed.newId() == null ? "?" : abbrev(failed.newId());
            String title = "merge " + commit + " on " + shortRef(failed.ref()) + ": " + failed.reason()
                    + (status == Incident.Status.RECOVERED ? "; reverted, recovered"
                    : status == Incident.Status.FAILED ? "; a human must act" : "");
            out.add(new Incident(merge != null ? merge.id() : begin != null ? begin.id() : failed.id(),
                    Incident.Kind.REVERT, status, title, failed.repository(), failed.ref(), start, true,
                    failed.time(), alerted, confirmed == null ? null : confirmed.time(), sortedIds(ids, sorted)));
        }
        return out;
    }

    private static List<Incident> drift(List<Event> sorted) {
        Map<String, Open> open = new LinkedHashMap<>();
        List<Incident> out = new ArrayList<>();
        for (Event e : sorted) {
            EventType type = EventType.of(e.type()).orElse(null);
            if (type == null) {
                continue; // a type of a newer version: no part of a drift story this version knows
            }
            switch (type) {
                case DRIFT_FOUND -> {
                    String target = e.repository();
                    Open o = open.get(target);
                    if (o == null) {
                        open.put(target, new Open(e));
                    } else {
                        o.ids.add(e.id());
                    }
                }
                case DRIFT_ALERTED -> {
                    Open o = open.get(e.repository());
                    if (o != null) {
                        o.ids.add(e.id());
                        if (o.alerted == null) {
                            o.alerted = e.time();
                        }
                    }
                }
                case DRIFT_RESOLVED -> {
                    Open o = open.remove(e.repository());
                    if (o != null) {
                        o.ids.add(e.id());
                        out.add(o.close(e.time(), "resolved"));
                    }
                }
                case DRIFT_HEALED -> {
                    // a heal restores a checkout completely; a bare repository's heal reinstalls hooks only
                    String target = "checkout:" + e.repository();
                    for (var it = open.entrySet().iterator(); it.hasNext(); ) {
                        var entry = it.next();
                        if (entry.getKey().equals(target) || entry.getKey().startsWith(target + "@")) {
                            entry.getValue().ids.add(e.id());
                            if ("healed".equals(e.decision())) {
                                out.add(entry.getValue().close(e.time(), "healed"));
                                it.remove();
                            }
                        }
                    }
                }
                default -> { }
            }
        }
        for (Open o : open.values()) {
            out.add(o.close(null, null));
        }
        return out;
    }

    /** A drift incident being built. */
    private static final class Open {
        final Event found;
        final List<String> ids = new ArrayList<>();
        Instant alerted;

        Open(Event found) {
            this.found = found;
            ids.add(found.id());
        }

        Incident close(Instant at, String how) {
            String title = "drift in " + found.repository() + ": " + (found.reason() == null ? "found"
                    : found.reason()) + (how == null ? "" : "; " + how);
            return new Incident(found.id(), Incident.Kind.DRIFT, at == null ? Incident.Status.OPEN
                    : Incident.Status.RECOVERED, title, found.repository(), found.ref(), found.time(), false,
                    found.time(), alerted, at, ids);
        }
    }

    private static List<Incident> breakGlass(List<Event> sorted) {
        List<Incident> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            Event glass = sorted.get(i);
            if (!glass.is(EventType.PUSH_BREAK_GLASS)) {
                continue;
            }
            List<Event> refused = new ArrayList<>();
            for (int j = i - 1; j >= 0; j--) {
                Event e = sorted.get(j);
                if (!Objects.equals(e.repository(), glass.repository()) || !Objects.equals(e.ref(), glass.ref())) {
                    continue;
                }
                if (e.is(EventType.PUSH_ALLOWED) || e.is(EventType.PUSH_BREAK_GLASS)) {
                    break; // the ref moved: refusals before that were another story
                }
                if (e.is(EventType.PUSH_REFUSED)) {
                    refused.add(0, e);
                }
            }
            Instant start = refused.isEmpty() ? glass.time() : refused.get(0).time();
            List<String> ids = new ArrayList<>();
            refused.forEach(e -> ids.add(e.id()));
            ids.add(glass.id());
            String title = shortRef(glass.ref()) + " blocked: " + refused.size() + " refused push"
                    + (refused.size() == 1 ? "" : "es") + ", then break-glass" + (glass.pusher() == null ? ""
                    : " pushed by " + glass.pusher()) + (glass.reason() == null ? "" : " (" + glass.reason() + ")");
            out.add(new Incident(ids.get(0), Incident.Kind.BREAK_GLASS, Incident.Status.RECOVERED, title,
                    glass.repository(), glass.ref(), start, true, start, null, glass.time(), ids));
        }
        return out;
    }

    private static Event first(List<Event> run, EventType type) {
        return run.stream().filter(type::is).findFirst().orElse(null);
    }

    private static List<String> sortedIds(Set<String> ids, List<Event> sorted) {
        List<String> out = new ArrayList<>();
        for (Event e : sorted) {
            if (ids.contains(e.id()) && !out.contains(e.id())) {
                out.add(e.id());
            }
        }
        return out;
    }

    static String shortRef(String ref) {
        return ref == null ? "?" : ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : ref;
    }

    private static String abbrev(String sha) {
        return sha.length() > 10 ? sha.substring(0, 10) : sha;
    }
}
