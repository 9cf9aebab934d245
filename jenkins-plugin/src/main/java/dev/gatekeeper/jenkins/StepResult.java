package dev.gatekeeper.jenkins;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.outcome.Outcome;
import hudson.AbortException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The value a step returns to Groovy and the rule for failing the build. The map holds only Strings and Integers
 * (usable as {@code r.verdict} in a Jenkinsfile, serializable with the program); absent values are empty strings,
 * so {@code if (r.revertSha)} reads naturally.
 */
final class StepResult {
    static final String VERDICT = "verdict";
    static final String EXIT_CODE = "exitCode";
    static final String REASON = "reason";

    private StepResult() {}

    /** A new result with its verdict, exit code and one-line reason first. */
    static LinkedHashMap<String, Object> of(String verdict, int exitCode, String reason) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put(VERDICT, verdict);
        m.put(EXIT_CODE, exitCode);
        m.put(REASON, oneLine(reason));
        return m;
    }

    static void put(Map<String, Object> m, String key, String value) {
        m.put(key, value == null ? "" : value);
    }

    /** The result of an outcome: its verdict's word, its exit code and its summary as the reason. */
    static LinkedHashMap<String, Object> of(Outcome<?> o) {
        return of(o.verdict().wire(), o.exitCode().code(), o.summary());
    }

    /**
     * Returns {@code result}, or throws when the build must fail: always for exit 1 and 2 (bad settings are not a
     * verdict, so {@code propagate: false} must not hide them), and for any other non-zero exit unless
     * {@code propagate} is false.
     */
    static LinkedHashMap<String, Object> finish(String function, LinkedHashMap<String, Object> result,
            boolean propagate) throws AbortException {
        int code = (Integer) result.get(EXIT_CODE);
        boolean settings = code == ExitCode.USAGE.code() || code == ExitCode.INTERNAL_ERROR.code();
        if (code != 0 && (propagate || settings)) {
            throw new AbortException(function + ": " + result.get(REASON) + " (exit " + code + ")");
        }
        return result;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
