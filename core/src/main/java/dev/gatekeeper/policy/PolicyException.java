package dev.gatekeeper.policy;

import dev.gatekeeper.settings.Problem;
import dev.gatekeeper.settings.SettingsException;
import java.util.List;

/** A policy that cannot be used, with every problem found (file, line, column, key, what is allowed). */
public final class PolicyException extends SettingsException {
    private static final long serialVersionUID = 1L;

    public PolicyException(List<Problem> problems) {
        super(problems);
    }
}
