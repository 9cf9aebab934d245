package dev.gatekeeper.settings;

import java.util.Locale;

/**
 * A setting of a command, by its canonical name: camelCase ({@code maxRevertsPerDay}), which is also its YAML key
 * and its Jenkins parameter. Each command's settings record declares its keys as an enum implementing this, the
 * list the parity test walks; an adapter names a key in its own terms ({@link KeyStyle}).
 */
public interface SettingKey {
    /** The canonical name. */
    String key();

    /** {@code MAX_REVERTS_PER_DAY} → {@code maxRevertsPerDay}. */
    static String camel(Enum<?> constant) {
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (char c : constant.name().toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }
}
