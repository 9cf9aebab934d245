package dev.gatekeeper.cli;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.outcome.Outcome;
import dev.gatekeeper.settings.KeyStyle;
import dev.gatekeeper.cli.demo.DemoCommand;
import dev.gatekeeper.cli.drill.DrillCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gatekeeper} command line. Each subcommand is a small {@code Callable<Integer>} over the core. */
@Command(
        name = "gatekeeper",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "Makes the pipeline the only source of truth for protected branches.",
        subcommands = {
            PolicyCommand.class,
            TokenCommand.class,
            HookCommand.class,
            HooksCommand.class,
            EventsCommand.class,
            StabilizeCommand.class,
            DriftCommand.class,
            WatchCommand.class,
            CommandLine.HelpCommand.class
        },
        footerHeading = "%nExit codes (every command):%n",
        footer = {
            "  0  ok: allowed, verified, healthy or clean",
            "  1  internal error (a bug; the message says where)",
            "  2  usage or configuration error (bad option, malformed policy or input)",
            "  3  the check said no: push refused, push not verified, drift found",
            "  4  inconclusive: remote unreachable, auth failed, timed out, a service with nothing to judge it by",
            "  5  acted and recovered: a revert was pushed and the service is healthy again",
            "  6  acted and failed: a human must act"
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        Logging.select(Logging.Level.NORMAL); // before anything logs: no SLF4J provider search, logging off
        if (args.length > 0 && args[0].equals("verify-push")) {
            // the hot path of every agent run: no picocli model (see VerifyPushMain)
            VerifyPushMain.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        CommandLine cl;
        if (args.length > 1 && args[0].equals("drift") && args[1].equals("scan")) {
            // cron's hourly path: a picocli model of this one command, not of every command (bench/README.md)
            cl = handleErrors(new CommandLine(new DriftCommand.Scan()).setCommandName("gatekeeper drift scan"));
            args = java.util.Arrays.copyOfRange(args, 2, args.length);
        } else {
            cl = commandLine();
        }
        int code = cl.execute(args);
        // picocli's writers only flush on println; System.exit would drop a trailing print().
        cl.getOut().flush();
        cl.getErr().flush();
        System.exit(code);
    }

    /** The configured command line: exit codes mapped, failures as one line on stderr. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand("demo", new DemoCommand(log -> Installation.hookRuntime(true, log),
                () -> Installation.home().resolve("bin/gatekeeper")));
        cl.addSubcommand("drill", new DrillCommand(log -> Installation.hookRuntime(true, log),
                () -> Installation.home().resolve("bin/gatekeeper")));
        // verify-push parses its own options: every argument after the name goes to it untouched
        cl.addSubcommand("verify-push", new CommandLine(new VerifyPushCommand())
                .setUnmatchedOptionsArePositionalParams(true).setEndOfOptionsDelimiter("\u0000"));
        return handleErrors(cl);
    }

    /** Exit codes mapped, failures as one line on stderr, the logging options on every command. */
    static CommandLine handleErrors(CommandLine cl) {
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (Logging.level() == Logging.Level.DEBUG) {
                ex.printStackTrace(cmd.getErr());
            }
            // the one mapping of a throwable to an exit code and a line, as every packaging's
            Outcome<?> o = Outcome.of(ex, KeyStyle.CLI);
            cmd.getErr().println("gatekeeper: " + o.summary());
            return o.exitCode().code();
        });
        cl.setExitCodeExceptionMapper(ex -> ExitCode.USAGE.code());
        addLoggingOptions(cl);
        Monitoring.install(cl);
        CommandLine.IExecutionStrategy inner = cl.getExecutionStrategy();
        cl.setExecutionStrategy(pr -> {
            if (Logging.quiet()) { // the whole tree's stderr (setErr reaches every subcommand)
                cl.setErr(new java.io.PrintWriter(new Logging.QuietWriter(cl.getErr()), true));
            }
            return inner.execute(pr);
        });
        return cl;
    }

    /**
     * --quiet, --verbose and --debug on every command (verify-push's own parser has them too), and the build's
     * version for --version on every command, not only the top one.
     */
    private static void addLoggingOptions(CommandLine cl) {
        CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
        if (spec.userObject() instanceof VerifyPushCommand) {
            return; // every argument goes to verify-push's own parser, these included
        }
        if (spec.version().length == 0) {
            spec.versionProvider(new VersionProvider());
        }
        if (!spec.mixins().containsKey(LoggingOptions.MIXIN)) {
            spec.addMixin(LoggingOptions.MIXIN, CommandLine.Model.CommandSpec.forAnnotatedObject(new LoggingOptions()));
        }
        cl.getSubcommands().values().forEach(Main::addLoggingOptions);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (see --help)");
    }

    /** The build's version (Maven resource filtering, see {@link dev.gatekeeper.Version}), also from classes. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {dev.gatekeeper.Version.line()};
        }
    }
}
