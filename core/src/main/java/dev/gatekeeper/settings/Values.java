package dev.gatekeeper.settings;

import dev.gatekeeper.policy.Units;
import java.time.Duration;

/**
 * How settings given as text (an option, a step parameter, a YAML scalar) become values. Each method throws an
 * {@link IllegalArgumentException} whose message is what would be allowed; the settings builders turn it into a
 * problem naming the setting.
 */
public final class Values {
    private Values() {}

    public static Duration duration(String text) {
        return Units.duration(text);
    }

    /** A duration of more than 0. */
    public static Duration positiveDuration(String text) {
        Duration d = Units.duration(text);
        if (d.isZero()) {
            throw new IllegalArgumentException("a duration of more than 0, such as 500ms, 30s, 15m or 1h");
        }
        return d;
    }

    public static int count(String text, int min, int max) {
        return (int) StrictYaml.whole(text, min, max);
    }

    public static boolean flag(String text) {
        return StrictYaml.bool(text.trim());
    }

    /** Text that is not blank, trimmed. */
    public static String text(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(what);
        }
        return text.trim();
    }
}
