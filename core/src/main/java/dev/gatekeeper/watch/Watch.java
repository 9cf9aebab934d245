package dev.gatekeeper.watch;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.events.Incident;
import dev.gatekeeper.io.AtomicFile;
import dev.gatekeeper.notify.Alert;
import dev.gatekeeper.notify.Notifier;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code gatekeeper watch}: the dead-man's switch over the scheduled jobs. Judges every expected job from its
 * heartbeat record ({@link JobHealth}) and alerts like the drift scan does: once when a job becomes overdue,
 * failing or never ran (or changes from one to another), a reminder every {@code remindEvery} while it lasts, and
 * "resolved" when it runs well again. A failed send keeps the old bookkeeping, so the next run tries again.
 * The whole run holds the state's lock: two overlapping watches never send the same alert twice.
 *
 * <p>Exit codes: 0 every job healthy; 3 a job is overdue, failing or never ran; 4 a record cannot be read (and
 * nothing worse); 6 an alert could not be delivered (the watcher could not tell anyone: a human must look).
 */
public final class Watch {
    private final WatchConfig config;
    private final Heartbeats heartbeats;
    private final Path stateFile;
    private final List<Notifier> notifiers;
    private final Clock clock;

    public Watch(WatchConfig config, Heartbeats heartbeats, Path stateFile, List<Notifier> notifiers, Clock clock) {
        this.config = config;
        this.heartbeats = heartbeats;
        this.stateFile = stateFile;
        this.notifiers = List.copyOf(notifiers);
        this.clock = clock;
    }

    /** The state file beside a heartbeat folder: {@code <dir>/../watch-state.json}. */
    public static Path defaultState(Path heartbeatDir) {
        Path abs = heartbeatDir.toAbsolutePath().normalize();
        return (abs.getParent() == null ? abs : abs.getParent()).resolve("watch-state.json");
    }

    /** What one run saw and did. */
    public record Report(List<JobHealth> jobs, List<String> alertsSent, List<String> problems) {
        public ExitCode exitCode() {
            if (!problems.isEmpty()) {
                return ExitCode.ACTION_FAILED;
            }
            if (jobs.stream().anyMatch(j -> !j.status().healthy() && j.status() != JobHealth.Status.UNREADABLE)) {
                return ExitCode.REFUSED;
            }
            if (jobs.stream().anyMatch(j -> j.status() == JobHealth.Status.UNREADABLE)) {
                return ExitCode.INCONCLUSIVE;
            }
            return ExitCode.OK;
        }

        /** One line per job: status, name, why. */
        public String table() {
            StringBuilder sb = new StringBuilder();
            for (JobHealth j : jobs) {
                sb.append(String.format("%-10s %-24s %s%n", j.status().label().toUpperCase(java.util.Locale.ROOT),
                        j.job().name(), j.reason()));
            }
            for (String s : alertsSent) {
                sb.append("alert sent: ").append(s).append('\n');
            }
            for (String p : problems) {
                sb.append("PROBLEM: ").append(p).append('\n');
            }
            return sb.toString();
        }
    }

    public Report call() throws GatekeeperException {
        try {
            return AtomicFile.locked(stateFile, this::locked);
        } catch (IOException e) {
            throw new GatekeeperException(ExitCode.INCONCLUSIVE, e.getMessage(), e);
        }
    }

    private Report locked() throws IOException {
        Instant now = clock.instant();
        WatchState before = WatchState.read(stateFile);
        Map<String, WatchState.JobState> next = new TreeMap<>();
        List<JobHealth> healths = new ArrayList<>();
        List<String> sent = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (WatchConfig.Job job : config.jobs()) {
            WatchState.JobState prev = before.jobs().get(job.name());
            Instant since = prev == null || prev.expectedSince() == null ? now : Instant.parse(prev.expectedSince());
            Object found;
            try {
                found = heartbeats.read(job.name());
            } catch (IOException e) {
                found = e.getMessage();
            }
            JobHealth h = JobHealth.judge(job, found, since, now);
            healths.add(h);
            String told = prev == null ? null : prev.told();
            String toldAt = prev == null ? null : prev.toldAt();
            Alert a = decide(h, told, toldAt, now);
            if (a != null && !notifiers.isEmpty()) {
                String problem = send(a);
                if (problem == null) {
                    sent.add(a.title());
                    told = h.status().healthy() ? null : h.status().name();
                    toldAt = h.status().healthy() ? null : now.toString();
                } else {
                    problems.add(problem);
                }
            }
            next.put(job.name(), new WatchState.JobState(since.toString(), told, toldAt));
        }
        WatchState.write(stateFile, new WatchState(WatchState.VERSION, next));
        return new Report(healths, sent, problems);
    }

    /** New problem or a different one: critical; the same past the reminder interval: warning; over: info. */
    Alert decide(JobHealth h, String told, String toldAt, Instant now) {
        if (h.status().healthy()) {
            return told == null ? null : alert("info", "resolved: " + h.job().name() + " runs again",
                    h.job().name() + " was " + label(told) + "; now " + h.reason(), h);
        }
        if (!h.status().name().equals(told)) {
            return alert("critical", h.job().name() + " " + h.status().label(), h.job().name() + " is "
                    + h.reason(), h);
        }
        Instant last = toldAt == null ? Instant.EPOCH : Instant.parse(toldAt);
        if (!now.isBefore(last.plus(config.remindEvery()))) {
            return alert("warning", "still " + h.status().label() + ": " + h.job().name(), h.job().name() + " is "
                    + h.reason() + " (first told " + toldAt + ")", h);
        }
        return null;
    }

    private static String label(String status) {
        return JobHealth.Status.valueOf(status).label();
    }

    private Alert alert(String severity, String title, String text, JobHealth h) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("job", h.job().name());
        fields.put("status", h.status().label());
        fields.put("period", Incident.format(h.job().period()));
        fields.put("grace", Incident.format(h.job().grace()));
        JobRecord r = h.record();
        if (r != null && r.lastStart() != null) {
            fields.put("last_start", r.lastStart().toString());
        }
        if (r != null && r.lastExit() != null) {
            fields.put("last_exit", Integer.toString(r.lastExit()));
        }
        return new Alert(severity, "gatekeeper watch: " + title, text, null, fields);
    }

    /** Sends to every notifier; null when all took it, else what failed. */
    private String send(Alert a) {
        List<String> failed = new ArrayList<>();
        for (Notifier n : notifiers) {
            try {
                n.send(a);
            } catch (IOException | RuntimeException e) {
                failed.add("alert '" + a.title() + "' not sent to " + n.describe() + ": " + e.getMessage());
            }
        }
        return failed.isEmpty() ? null : String.join("; ", failed);
    }
}
