package dev.gatekeeper.settings;

import java.util.List;
import java.util.function.Function;

/**
 * One problem with one setting. From a file it has the file, line and column ({@code line} 0 when it is not about a
 * place in a file: an option, a step parameter, an input); {@code key} is the setting's canonical camelCase name,
 * or null when the problem is not about one key; {@code allowed} says what would be accepted, or null.
 */
public record Problem(String file, int line, int column, String key, String message, String allowed) {

    /** A problem with a setting given outside any file (an option, a step parameter, an input). */
    public static Problem of(String key, String message, String allowed) {
        return new Problem(null, 0, 0, key, message, allowed);
    }

    /**
     * {@code text} checked as one setting, for a packaging that validates when it is configured (a Jenkins step's
     * setter): {@code problemsOf} gives the problems a settings builder finds in it.
     *
     * @return {@code text} trimmed, or null for a blank one (not given)
     * @throws IllegalArgumentException with the first problem, naming the setting, what was given and what is allowed
     */
    public static String check(String text, Function<String, List<Problem>> problemsOf) {
        if (text == null || text.isBlank()) {
            return null;
        }
        List<Problem> problems = problemsOf.apply(text);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.get(0).toString());
        }
        return text.trim();
    }

    /** Whether the problem is at a place in a file (then the file's own key names apply, whatever the adapter). */
    public boolean inFile() {
        return file != null;
    }

    /** {@code file:line:col: 'key': message (allowed: …)}, the key in the file's own terms. */
    @Override
    public String toString() {
        return render(KeyStyle.YAML);
    }

    /**
     * The problem as an adapter shows it: a problem in a file keeps its place and the file's key; any other names
     * its setting as the adapter does ({@code --max-reverts-per-day}, {@code maxRevertsPerDay}, …).
     */
    public String render(KeyStyle style) {
        String where = inFile() ? file + (line > 0 ? ":" + line + ":" + column : "") + ": " : "";
        String k = key == null ? "" : inFile() ? "'" + key + "': " : style.name(key) + ": ";
        return where + k + message + (allowed == null ? "" : " (allowed: " + allowed + ")");
    }
}
