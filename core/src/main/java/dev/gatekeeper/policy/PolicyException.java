package dev.gatekeeper.policy;

import java.util.List;
import java.util.stream.Collectors;

/** A policy that cannot be used, with every problem found (file, line, column, key, what is allowed). */
public final class PolicyException extends Exception {
    private static final long serialVersionUID = 1L;

    /** One problem at one place in one file. {@code key} is null when the problem is not about a key. */
    public record Problem(String file, int line, int column, String key, String message, String allowed) {
        @Override
        public String toString() {
            return file + ":" + line + ":" + column + ": " + (key == null ? "" : "'" + key + "': ") + message
                    + (allowed == null ? "" : " (allowed: " + allowed + ")");
        }
    }

    private final transient List<Problem> problems;

    public PolicyException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    static PolicyException single(String file, YamlNode.Location at, String key, String message, String allowed) {
        return new PolicyException(List.of(new Problem(file, at.line(), at.column(), key, message, allowed)));
    }

    public List<Problem> problems() {
        return problems;
    }
}
