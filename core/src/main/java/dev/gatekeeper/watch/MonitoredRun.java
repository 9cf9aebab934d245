package dev.gatekeeper.watch;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.metrics.PrometheusTextfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One run of a command, watched: records its start and end in the {@link Heartbeats} store, pings a ping service
 * ({@link PingClient}) and writes its Prometheus textfile ({@link PrometheusTextfile}), around the command's own
 * work. Every packaging wraps its commands with this one class. Nothing here may change what the command does or
 * returns: a store, a ping or a metrics file that fails is a warning, and the command's exit code stands.
 */
public final class MonitoredRun {
    /** Exit code recorded for a run stopped by a signal (128 + SIGTERM, as a shell reports it). */
    public static final int STOPPED = 143;

    /**
     * What to do around the run.
     *
     * @param job          the job's name in the store and the metrics
     * @param heartbeatDir the store; null: record nothing
     * @param pingUrl      the ping service's check URL; null: no pings
     * @param metricsFile  the textfile to write; null: none (needs {@code heartbeatDir}: counters add up there)
     */
    public record Settings(String job, Path heartbeatDir, String pingUrl, Path metricsFile) {
        public boolean anything() {
            return heartbeatDir != null || pingUrl != null || metricsFile != null;
        }

        /**
         * The settings every packaging derives from the same options: {@code --job}, {@code --heartbeat-dir},
         * {@code --no-heartbeat}, {@code --ping-url}, {@code --metrics-file}. Scheduled commands record by
         * default (in {@link Heartbeats#defaultDir}); any other command records when given a job name, a folder
         * or a metrics file (metrics add up in the store).
         *
         * @throws IllegalArgumentException for a bad job name or contradicting options
         */
        public static Settings of(String defaultJob, boolean recordByDefault, String job, Path heartbeatDir,
                boolean noHeartbeat, String pingUrl, Path metricsFile, Map<String, String> env) {
            String name = Heartbeats.checkJobName(job != null ? job : defaultJob);
            if (noHeartbeat && (heartbeatDir != null || metricsFile != null)) {
                throw new IllegalArgumentException("--no-heartbeat cannot go with --heartbeat-dir or --metrics-file "
                        + "(metrics add up in the heartbeat store)");
            }
            boolean record = !noHeartbeat && (recordByDefault || job != null || heartbeatDir != null
                    || metricsFile != null);
            Path dir = !record ? null : heartbeatDir != null ? heartbeatDir : Heartbeats.defaultDir(env);
            return new Settings(name, dir, pingUrl == null || pingUrl.isBlank() ? null : pingUrl, metricsFile);
        }
    }

    /**
     * What the command tells about its run, once it is over.
     *
     * @param findings  findings by kind (drift); empty when the command has none
     * @param eventLogs the audit logs the run wrote or judged, counted for the metrics and incidents
     */
    public record Facts(String summary, Map<String, Long> findings, List<Path> eventLogs) {
        public static final Facts NONE = new Facts(null, Map.of(), List.of());

        public Facts {
            findings = findings == null ? Map.of() : Map.copyOf(findings);
            eventLogs = eventLogs == null ? List.of() : List.copyOf(eventLogs);
        }

        /** A run without findings by kind: its one line and the audit log it wrote (null: none). */
        public static Facts of(String summary, Path eventLog) {
            return new Facts(summary, Map.of(), eventLog == null ? List.of() : List.of(eventLog));
        }
    }

    /** The command's own work; returns its exit code and handles its own failures. */
    public interface Body {
        int call();
    }

    private final Settings settings;
    private final Consumer<String> warn;
    private final Clock clock;

    public MonitoredRun(Settings settings, Consumer<String> warn, Clock clock) {
        this.settings = settings;
        this.warn = warn;
        this.clock = clock;
    }

    /** Runs {@code body} watched; {@code facts} is asked after it returned. Returns the body's exit code. */
    public int run(Body body, Supplier<Facts> facts) {
        Instant start = clock.instant();
        Heartbeats store = settings.heartbeatDir() == null ? null : new Heartbeats(settings.heartbeatDir());
        PingClient ping = null;
        if (settings.pingUrl() != null) {
            try {
                ping = new PingClient(settings.pingUrl());
            } catch (IllegalArgumentException e) {
                warn.accept(e.getMessage() + "; not pinging");
            }
        }
        Thread startPing = null;
        if (ping != null) {
            PingClient p = ping;
            startPing = new Thread(() -> quietly(() -> p.start("gatekeeper " + settings.job() + ": started")),
                    "ping-start");
            startPing.setDaemon(true);
            startPing.start();
        }
        // the start record is written beside the command's own start-up, not before it: on verify-push's hot path
        // the first read and write of a record (lock, JSON, fsync) cost ~20-60 ms measured, the command ~300 ms
        Thread startRecord = null;
        if (store != null) {
            startRecord = new Thread(() -> {
                try {
                    store.started(settings.job(), start, ProcessHandle.current().pid());
                } catch (IOException | RuntimeException e) {
                    warn.accept("heartbeat not recorded in " + store.dir() + ": " + e.getMessage());
                }
            }, "heartbeat-start");
            startRecord.setDaemon(true);
            startRecord.start();
        }
        Thread onSignal = stoppedHook(store, ping, start, startRecord);
        int exit;
        try {
            exit = body.call();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running (a signal): it records the stop
            }
        }
        Instant end = clock.instant();
        Facts f;
        try {
            f = facts == null ? null : facts.get();
        } catch (RuntimeException e) {
            f = null;
        }
        if (f == null) {
            f = Facts.NONE; // a command that failed before it had a result (a usage error found late)
        }
        if (store != null) {
            join(startRecord);
            finish(store, start, end, exit, f);
        }
        if (ping != null) {
            String line = line(exit, Duration.between(start, end), f); // String.format: only when it is sent
            join(startPing);
            PingClient p = ping;
            quietly(() -> p.end(exit, line));
        }
        return exit;
    }

    private void finish(Heartbeats store, Instant start, Instant end, int exit, Facts f) {
        JobRecord rec;
        try {
            rec = store.update(settings.job(), r -> {
                JobRecord next = r.withEnd(start, end, exit, f.summary(), f.findings().isEmpty() ? null
                        : f.findings());
                if (settings.metricsFile() == null || f.eventLogs().isEmpty()) {
                    return next;
                }
                try {
                    EventCounter.Counted c = EventCounter.count(f.eventLogs(), next.totals(), next.marks());
                    return next.withCounts(c.totals(), c.marks(), c.last());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | RuntimeException e) {
            warn.accept("heartbeat not recorded in " + store.dir() + ": " + e.getMessage());
            return;
        }
        if (settings.metricsFile() != null) {
            try {
                PrometheusTextfile.write(settings.metricsFile(), rec);
            } catch (IOException | RuntimeException e) {
                warn.accept("metrics not written to " + settings.metricsFile() + ": " + e.getMessage());
            }
        }
    }

    /** On SIGTERM or Ctrl-C: the store and the ping service hear that the run was stopped. */
    private Thread stoppedHook(Heartbeats store, PingClient ping, Instant start, Thread startRecord) {
        Thread hook = new Thread(() -> {
            if (store != null) {
                join(startRecord);
                try {
                    store.update(settings.job(), r -> r.withEnd(start, clock.instant(), STOPPED,
                            "stopped by a signal before it finished", null));
                } catch (IOException | RuntimeException ignored) {
                    // exiting anyway; watch sees the run as never finished
                }
            }
            if (ping != null) {
                quietly(() -> ping.fail("gatekeeper " + settings.job() + ": stopped by a signal before it finished"));
            }
        }, "monitored-run-stopped");
        if (store != null || ping != null) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        return hook;
    }

    private String line(int exit, Duration took, Facts f) {
        String meaning = "";
        for (ExitCode c : ExitCode.values()) {
            if (c.code() == exit) {
                meaning = " (" + c.meaning() + ")";
            }
        }
        return "gatekeeper " + settings.job() + ": exit " + exit + meaning + " after "
                + dev.gatekeeper.events.Incident.format(took) + (f.summary() == null ? "" : "; " + f.summary());
    }

    private interface Ping {
        void send() throws IOException;
    }

    private void quietly(Ping p) {
        try {
            p.send();
        } catch (IOException | RuntimeException e) {
            warn.accept(e.getMessage());
        }
    }

    private static void join(Thread t) {
        if (t == null) {
            return;
        }
        try {
            t.join(PingClient.TIMEOUT.toMillis() * PingClient.ATTEMPTS + 2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
