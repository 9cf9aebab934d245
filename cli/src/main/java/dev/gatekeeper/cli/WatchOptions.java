package dev.gatekeeper.cli;

import dev.gatekeeper.watch.MonitoredRun;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The options that watch a run ({@code --job}, {@code --heartbeat-dir}, {@code --no-heartbeat}, {@code --ping-url},
 * {@code --metrics-file}) as given, for a packaging whose arguments are the CLI's options (the GitHub Action). They
 * are parsed by the CLI's own definitions ({@link MonitorOptions}, verify-push's parser) and kept apart from the
 * command's settings, as the CLI keeps them: no second list of their names.
 */
public record WatchOptions(String job, Path heartbeatDir, boolean noHeartbeat, String pingUrl, Path metricsFile) {

    /**
     * Parses {@code args} into {@code command}'s own options (its fields, as the CLI parses them) and returns the
     * watching options among them.
     *
     * @throws CommandLine.ParameterException for an argument that is neither
     */
    public static WatchOptions parse(Object command, String[] args) {
        CommandLine cl = new CommandLine(command);
        MonitorOptions m = new MonitorOptions();
        cl.getCommandSpec().addMixin(MonitorOptions.MIXIN, CommandSpec.forAnnotatedObject(m));
        cl.parseArgs(args);
        return new WatchOptions(m.job, m.heartbeatDir, m.noHeartbeat, m.pingUrl, m.metricsFile);
    }

    /** These options with their paths resolved against {@code dir}. */
    public WatchOptions in(Path dir) {
        return new WatchOptions(job, heartbeatDir == null ? null : dir.resolve(heartbeatDir),
                noHeartbeat, pingUrl, metricsFile == null ? null : dir.resolve(metricsFile));
    }

    /**
     * What to do around the run, as the CLI decides it ({@link MonitoredRun.Settings#of}).
     *
     * @throws IllegalArgumentException for a bad job name or contradicting options
     */
    public MonitoredRun.Settings settings(String defaultJob, boolean recordByDefault, Map<String, String> env) {
        return MonitoredRun.Settings.of(defaultJob, recordByDefault, job, heartbeatDir, noHeartbeat, pingUrl,
                metricsFile, env);
    }
}
