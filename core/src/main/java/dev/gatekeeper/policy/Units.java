package dev.gatekeeper.policy;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the human units policies and options use: durations ("90s", "15m", "1h", "500ms") and sizes ("10MB"). */
public final class Units {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|kib|mb|mib|gb|gib)?");
    private static final String DURATION_FORMS = "a duration such as 500ms, 30s, 15m, 1h or 1d";
    private static final String SIZE_FORMS = "a size such as 1048576, 512KB, 10MB or 1GB";

    private Units() {}

    /** @throws IllegalArgumentException with the accepted forms */
    public static Duration duration(String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(DURATION_FORMS);
        }
        try {
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms": return Duration.ofMillis(n);
                case "s": return Duration.ofSeconds(n);
                case "m": return Duration.ofMinutes(n);
                case "h": return Duration.ofHours(n);
                default: return Duration.ofDays(n);
            }
        } catch (ArithmeticException | NumberFormatException tooLarge) {
            throw new IllegalArgumentException(DURATION_FORMS, tooLarge);
        }
    }

    /** @throws IllegalArgumentException with the accepted forms */
    public static long bytes(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(SIZE_FORMS);
        }
        try {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "b" : m.group(2);
            switch (unit) {
                case "kb": case "kib": return Math.multiplyExact(n, 1024L);
                case "mb": case "mib": return Math.multiplyExact(n, 1024L * 1024L);
                case "gb": case "gib": return Math.multiplyExact(n, 1024L * 1024L * 1024L);
                default: return n;
            }
        } catch (ArithmeticException | NumberFormatException tooLarge) {
            throw new IllegalArgumentException(SIZE_FORMS, tooLarge);
        }
    }

    /** The short form {@link #duration} reads back. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0 && ms > 0) return ms / 86_400_000L + "d";
        if (ms % 3_600_000L == 0 && ms > 0) return ms / 3_600_000L + "h";
        if (ms % 60_000L == 0 && ms > 0) return ms / 60_000L + "m";
        if (ms % 1000L == 0) return ms / 1000L + "s";
        return ms + "ms";
    }
}
