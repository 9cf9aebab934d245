package dev.gatekeeper.settings;

import java.util.Locale;

/**
 * How an adapter names a setting. The canonical name is camelCase ({@code maxRevertsPerDay}): a YAML key and a
 * Jenkins step parameter; the CLI and the GitHub Action's {@code args} use the option ({@code --max-reverts-per-day}).
 */
public enum KeyStyle {
    /** {@code maxRevertsPerDay}: config files. */
    YAML,
    /** {@code maxRevertsPerDay}: Jenkins step parameters. */
    JENKINS,
    /** {@code --max-reverts-per-day}: command-line options, and the Action's {@code args}. */
    CLI;

    /** {@code key} (camelCase) as this style writes it. */
    public String name(String key) {
        return this == CLI ? "--" + kebab(key) : key;
    }

    /** {@code maxRevertsPerDay} → {@code max-reverts-per-day}. */
    public static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
