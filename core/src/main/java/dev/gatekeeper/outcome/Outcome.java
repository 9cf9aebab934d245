package dev.gatekeeper.outcome;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.settings.KeyStyle;
import dev.gatekeeper.settings.SettingsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * What one run of a command came to, the same shape for every command and every packaging: a verdict (its wire word
 * and exit code), a one-line summary, the command's typed report (null when the run failed before it had one) and
 * warnings (things that went wrong without changing the verdict, e.g. an audit event that could not be written).
 * Packagings only render it: {@link OutcomeJson} for {@code --json} and report files, their own words otherwise.
 */
public record Outcome<R>(Verdict verdict, String summary, R report, List<String> warnings) {
    public Outcome {
        summary = summary == null ? "" : summary;
        warnings = List.copyOf(warnings);
    }

    public ExitCode exitCode() {
        return verdict.exitCode();
    }

    /** Whether the run failed before its command concluded (bad settings, a bug, an interruption). */
    public boolean failed() {
        return verdict instanceof Failure;
    }

    /**
     * The one place a throwable becomes an outcome, for every command and packaging:
     * <ul>
     *   <li>settings that cannot be used: usage error (2), each problem named as {@code style} names settings;</li>
     *   <li>a {@link GatekeeperException}: its own exit code and message (an unreachable remote is 4, …);</li>
     *   <li>an interruption (Ctrl-C, an aborted build, a timeout around the run): inconclusive (4), because the
     *       command did not conclude and nothing it did not finish may pass for a "no"; the thread's interrupt
     *       status is restored;</li>
     *   <li>anything else, an {@link IllegalArgumentException} included (core reports bad settings as
     *       {@link SettingsException}, so any other is a bug): internal error (1), naming the exception.</li>
     * </ul>
     */
    public static <R> Outcome<R> of(Throwable t, KeyStyle style) {
        if (t instanceof SettingsException s) {
            return failure(Failure.USAGE_ERROR, s.render(style).replace("\n", "; "));
        }
        if (t instanceof GatekeeperException g) {
            return failure(Failure.of(g.exitCode()), g.getMessage());
        }
        if (t instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return failure(Failure.INCONCLUSIVE, "interrupted before a verdict");
        }
        if (t instanceof IOException || t instanceof UncheckedIOException) {
            return failure(Failure.INTERNAL_ERROR, "internal error: I/O: " + t.getMessage());
        }
        return failure(Failure.INTERNAL_ERROR, "internal error: " + t);
    }

    private static <R> Outcome<R> failure(Failure f, String summary) {
        return new Outcome<>(f, summary, null, List.of());
    }
}
