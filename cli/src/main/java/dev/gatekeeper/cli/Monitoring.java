package dev.gatekeeper.cli;

import dev.gatekeeper.watch.MonitoredRun;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * The one place the CLI watches its commands: every leaf command gets the {@link MonitorOptions}, and one
 * execution strategy runs the chosen command inside a {@link MonitoredRun}. A command added later (drill) is
 * picked up without a line of its own; the scheduled ones record their runs even without options.
 */
final class Monitoring {
    /** Commands that record a heartbeat on every run: what cron, systemd timers and pipelines run. */
    static final Set<String> RECORDED_BY_DEFAULT = Set.of("drift scan", "stabilize", "drill");
    /** verify-push watches itself (its own lean parser); hooks must stay lean; help is no job. */
    private static final Set<String> NOT_WATCHED = Set.of("hook", "verify-push", "help");

    private Monitoring() {}

    /** Adds the options to every leaf command of {@code cl} and wraps execution. */
    static CommandLine install(CommandLine cl) {
        addOptions(cl);
        CommandLine.IExecutionStrategy inner = cl.getExecutionStrategy();
        cl.setExecutionStrategy(pr -> execute(cl, inner, pr));
        return cl;
    }

    private static void addOptions(CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        if (cl.getSubcommands().isEmpty()) {
            Object user = spec.userObject();
            if ((user instanceof Callable || user instanceof Runnable) && !NOT_WATCHED.contains(name(spec))
                    && !spec.mixins().containsKey(MonitorOptions.MIXIN)) {
                spec.addMixin(MonitorOptions.MIXIN, CommandSpec.forAnnotatedObject(new MonitorOptions()));
            }
            return;
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            addOptions(sub);
        }
    }

    /** The command's name without the program's: {@code drift scan}, {@code stabilize}. */
    static String name(CommandSpec spec) {
        String q = spec.qualifiedName(" ");
        return q.startsWith("gatekeeper ") ? q.substring("gatekeeper ".length()) : q;
    }

    private static int execute(CommandLine root, CommandLine.IExecutionStrategy inner, ParseResult pr)
            throws CommandLine.ExecutionException, CommandLine.ParameterException {
        List<CommandLine> chain = pr.asCommandLineList();
        CommandLine leaf = chain.get(chain.size() - 1);
        CommandLine.Model.CommandSpec mixin = leaf.getCommandSpec().mixins().get(MonitorOptions.MIXIN);
        boolean help = chain.stream().anyMatch(c -> c.isUsageHelpRequested() || c.isVersionHelpRequested());
        if (mixin == null || help) {
            return inner.execute(pr);
        }
        MonitorOptions o = (MonitorOptions) mixin.userObject();
        String name = name(leaf.getCommandSpec());
        MonitoredRun.Settings settings;
        try {
            settings = MonitoredRun.Settings.of(name.replace(' ', '-'), RECORDED_BY_DEFAULT.contains(name), o.job,
                    o.heartbeatDir, o.noHeartbeat, o.pingUrl, o.metricsFile, System.getenv());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(leaf, e.getMessage());
        }
        if (!settings.anything()) {
            return inner.execute(pr);
        }
        PrintWriter err = leaf.getErr();
        MonitoredRun run = new MonitoredRun(settings, w -> {
            err.println("gatekeeper: warning: " + w);
            err.flush();
        }, Clock.systemUTC());
        return run.run(() -> call(root, inner, pr, leaf), () -> leaf.getCommand() instanceof ReportsRun r
                ? r.runFacts() : MonitoredRun.Facts.NONE);
    }

    /** The command's exit code, with its exceptions mapped as picocli would map them after the strategy. */
    private static int call(CommandLine root, CommandLine.IExecutionStrategy inner, ParseResult pr,
            CommandLine leaf) {
        try {
            return inner.execute(pr);
        } catch (CommandLine.ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            Exception ex = cause instanceof Exception x ? x : e;
            try {
                return root.getExecutionExceptionHandler().handleExecutionException(ex, leaf, pr);
            } catch (Exception again) {
                leaf.getErr().println("gatekeeper: internal error: " + again);
                return dev.gatekeeper.ExitCode.INTERNAL_ERROR.code();
            }
        } catch (CommandLine.ParameterException e) {
            leaf.getErr().println(e.getMessage());
            return dev.gatekeeper.ExitCode.USAGE.code();
        }
    }
}
