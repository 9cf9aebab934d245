package dev.gatekeeper.outcome;

import dev.gatekeeper.ExitCode;

/**
 * What a command concluded: one wire word ({@code recovered}, {@code not-verified}, {@code drift}) and the exit
 * code it maps to. Each command's verdicts are an enum; a failure before any verdict is a {@link Failure}.
 */
public interface Verdict extends Wire {
    ExitCode exitCode();
}
