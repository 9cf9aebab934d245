package dev.gatekeeper.cli;

import picocli.CommandLine.Option;

/**
 * {@code -q/--quiet}, {@code -v/--verbose} and {@code --debug}, given to every command by {@link Main} (before or
 * after the subcommand's name: {@code gatekeeper --debug drift scan} and {@code gatekeeper drift scan --debug} are
 * the same). The setters choose the level while the line is parsed, before any command runs.
 */
final class LoggingOptions {
    static final String MIXIN = "logging";

    @Option(names = {"-q", "--quiet"}, description = "only errors on stderr: no warnings, notes or progress")
    void quiet(boolean on) {
        if (on) {
            Logging.select(Logging.Level.QUIET);
        }
    }

    @Option(names = {"-v", "--verbose"}, description = "log what JGit and the HTTP clients do, on stderr")
    void verbose(boolean on) {
        if (on) {
            Logging.select(Logging.Level.VERBOSE);
        }
    }

    @Option(names = "--debug", description = "log in detail (JGit, OkHttp, Gatekeeper), and stack traces of "
            + "internal errors, on stderr")
    void debug(boolean on) {
        if (on) {
            Logging.select(Logging.Level.DEBUG);
        }
    }
}
