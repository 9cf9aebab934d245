package dev.gatekeeper.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options that watch a run, on every command ({@link Monitoring} adds them): the heartbeat that
 * {@code gatekeeper watch} reads, a ping service's check, a Prometheus textfile.
 */
final class MonitorOptions {
    static final String MIXIN = "monitor";

    @Option(names = "--job", paramLabel = "NAME", order = 900,
            description = "this job's name in heartbeats and metrics (default: the command, e.g. drift-scan)")
    String job;
    @Option(names = "--heartbeat-dir", paramLabel = "DIR", order = 901,
            description = "heartbeat store (default: $GATEKEEPER_HEARTBEAT_DIR, else $XDG_STATE_HOME or "
                    + "~/.local/state, /gatekeeper/heartbeats); drift scan, stabilize and drill record there always")
    Path heartbeatDir;
    @Option(names = "--no-heartbeat", order = 902, description = "do not record this run")
    boolean noHeartbeat;
    @Option(names = "--ping-url", paramLabel = "URL", order = 903,
            description = "ping service check (Healthchecks style): URL/start, then URL on success or URL/<exit "
                    + "code>; URL/fail if stopped")
    String pingUrl;
    @Option(names = "--metrics-file", paramLabel = "FILE", order = 904,
            description = "write this run's Prometheus metrics here (textfile collector; atomic replace)")
    Path metricsFile;
}
