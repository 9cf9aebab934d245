package dev.gatekeeper.cli;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.notify.Notifier;
import dev.gatekeeper.notify.NotifyTarget;
import dev.gatekeeper.watch.Heartbeats;
import dev.gatekeeper.watch.Watch;
import dev.gatekeeper.watch.WatchConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gatekeeper watch}: the dead-man's switch over the scheduled jobs; a thin adapter over {@link Watch}. */
@Command(name = "watch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Alert when a scheduled job (drift scan, stabilize, drill, verify-push …) is overdue, keeps "
                + "failing or never ran, by the heartbeats its runs record; remind daily; say when it is resolved.",
            "Exit: 0 every job healthy, 3 a job is overdue, failing or never ran, 4 a heartbeat record is "
                + "unreadable, 6 an alert could not be delivered, 2 bad config."})
final class WatchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", required = true,
            description = "watch.yaml: the expected jobs (name, period, grace, failAfter), notify, state")
    Path config;
    @Option(names = "--state", paramLabel = "FILE",
            description = "what was alerted (default: the config's, else watch-state.json beside the heartbeat dir)")
    Path state;
    @Option(names = "--notify", paramLabel = "KIND:ENVVAR",
            description = "slack:VAR, discord:VAR or webhook:VAR; the URL is read from $VAR (repeatable; adds to "
                    + "the config's)")
    List<String> notify = new ArrayList<>();

    @Override
    public Integer call() throws GatekeeperException {
        WatchConfig c;
        try {
            c = WatchConfig.load(config);
        } catch (dev.gatekeeper.settings.SettingsException e) {
            throw new GatekeeperException(ExitCode.USAGE, "invalid watch config:\n" + e.getMessage());
        }
        Map<String, String> env = System.getenv();
        // the store to read is the one --heartbeat-dir names (the option every command has), else the config's
        var mixin = spec.mixins().get(MonitorOptions.MIXIN);
        Path given = mixin == null ? null : ((MonitorOptions) mixin.userObject()).heartbeatDir;
        Path dir = given != null ? given
                : c.heartbeatDir() != null ? c.heartbeatDir() : Heartbeats.defaultDir(env);
        Path stateFile = state != null ? state : c.state() != null ? c.state() : Watch.defaultState(dir);
        Set<NotifyTarget> targets = new LinkedHashSet<>(c.notifyTargets());
        List<Notifier> notifiers = new ArrayList<>();
        try {
            notify.forEach(n -> targets.add(NotifyTarget.parse(n)));
            for (NotifyTarget t : targets) {
                notifiers.add(t.open(env, NotifyTarget.TIMEOUT, NotifyTarget.ATTEMPTS, NotifyTarget.BACKOFF));
            }
        } catch (IllegalArgumentException e) {
            throw new GatekeeperException(ExitCode.USAGE, "--notify: " + e.getMessage());
        }
        Watch.Report r = new Watch(c, new Heartbeats(dir), stateFile, notifiers, Clock.systemUTC()).call();
        PrintWriter out = spec.commandLine().getOut();
        out.print(r.table());
        if (notifiers.isEmpty() && r.exitCode() != ExitCode.OK) {
            out.println("(no notifier configured: nobody was alerted; add notify: to the config or --notify)");
        }
        out.flush();
        return r.exitCode().code();
    }
}
