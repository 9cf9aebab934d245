package dev.gatekeeper.settings;

import java.util.Locale;
import java.util.Map;

/**
 * How an adapter names a setting. The canonical name is camelCase ({@code maxRevertsPerDay}): a YAML key and a
 * Jenkins step parameter; the CLI and the GitHub Action's {@code args} use the option ({@code --max-reverts-per-day}).
 * An adapter whose name for a setting differs (the CLI's repeatable {@code --probe} for {@code probes}) says so
 * with {@link #with}.
 */
@FunctionalInterface
public interface KeyStyle {
    /** {@code key} (camelCase) as this adapter writes it. */
    String name(String key);

    /** {@code maxRevertsPerDay}: config files. */
    KeyStyle YAML = key -> key;
    /** {@code maxRevertsPerDay}: Jenkins step parameters. */
    KeyStyle JENKINS = key -> key;
    /** {@code --max-reverts-per-day}: command-line options, and the Action's {@code args}. */
    KeyStyle CLI = key -> "--" + kebab(key);

    /** This style, except for the keys in {@code names}. */
    default KeyStyle with(Map<String, String> names) {
        return key -> names.containsKey(key) ? names.get(key) : name(key);
    }

    /** {@code maxRevertsPerDay} → {@code max-reverts-per-day}. */
    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
