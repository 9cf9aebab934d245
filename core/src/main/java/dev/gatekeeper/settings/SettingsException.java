package dev.gatekeeper.settings;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Settings that cannot be used, with every problem found at once (exit 2). The message names keys canonically;
 * an adapter shows {@link #render} in its own terms.
 */
public class SettingsException extends GatekeeperException {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    public SettingsException(List<Problem> problems) {
        super(ExitCode.USAGE, problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    /** One problem with {@code key} given outside a file. */
    public static SettingsException of(String key, String message, String allowed) {
        return new SettingsException(List.of(Problem.of(key, message, allowed)));
    }

    public List<Problem> problems() {
        return problems;
    }

    /** Every problem, one a line, as {@code style} names keys. */
    public String render(KeyStyle style) {
        return problems.stream().map(p -> p.render(style)).collect(Collectors.joining("\n"));
    }
}
