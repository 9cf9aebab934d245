package dev.gatekeeper.cli;

import dev.gatekeeper.outcome.Outcome;
import dev.gatekeeper.outcome.OutcomeJson;
import dev.gatekeeper.settings.KeyStyle;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * How the CLI shows a command's outcome, the same for every command: warnings and failures on stderr, the summary
 * (or with {@code --json} the outcome as one JSON object, failures included) on stdout; the exit code is the
 * verdict's.
 */
final class CliOutcome {
    private CliOutcome() {}

    /** Runs {@code body}; what it throws becomes the outcome ({@link Outcome#of}, settings named as {@code names}). */
    static <R> Outcome<R> run(KeyStyle names, Callable<Outcome<R>> body) {
        try {
            return body.call();
        } catch (Exception e) {
            if (Logging.level() == Logging.Level.DEBUG) {
                e.printStackTrace(); // --debug: the whole story of what ended the run
            }
            return Outcome.of(e, names);
        }
    }

    /** Prints {@code o} and returns its exit code. */
    static int print(String command, Outcome<?> o, boolean json, PrintWriter out, PrintWriter err) {
        for (String w : o.warnings()) {
            err.println("gatekeeper " + command + ": warning: " + w);
        }
        if (o.failed()) {
            err.println("gatekeeper " + command + ": " + o.summary());
        }
        err.flush();
        if (json) {
            out.println(OutcomeJson.write(command, o));
        } else if (!o.failed()) {
            out.println("gatekeeper " + command + ": " + o.summary());
        }
        out.flush();
        return o.exitCode().code();
    }
}
