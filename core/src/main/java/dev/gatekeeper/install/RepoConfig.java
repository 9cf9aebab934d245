package dev.gatekeeper.install;

import java.io.IOException;
import java.nio.file.Path;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;

/**
 * One repository's own config file ({@code $GIT_DIR/config}), never the user's or the system's: that is the file
 * the installer changes and the one uninstall restores. JGit saves it through {@code config.lock}, the same lock
 * git takes, so a concurrent {@code git config} cannot be lost.
 */
final class RepoConfig {
    private RepoConfig() {}

    static FileBasedConfig load(Path gitDir) throws IOException {
        FileBasedConfig cfg = new FileBasedConfig(gitDir.resolve("config").toFile(), FS.DETECTED);
        try {
            cfg.load();
        } catch (ConfigInvalidException e) {
            throw new IOException("cannot read " + gitDir.resolve("config") + ": " + e.getMessage(), e);
        }
        return cfg;
    }

    /** The value of {@code key} ("receive.advertisePushOptions", "section.sub.name"), or null when unset. */
    static String get(Path gitDir, String key) throws IOException {
        Key k = Key.parse(key);
        return load(gitDir).getString(k.section, k.subsection, k.name);
    }

    static void set(Path gitDir, String key, String value) throws IOException {
        Key k = Key.parse(key);
        FileBasedConfig cfg = load(gitDir);
        cfg.setString(k.section, k.subsection, k.name, value);
        cfg.save();
    }

    /** Unsets {@code key}, and drops its section when nothing is left in it, as if it had never been set. */
    static void unset(Path gitDir, String key) throws IOException {
        Key k = Key.parse(key);
        FileBasedConfig cfg = load(gitDir);
        cfg.unset(k.section, k.subsection, k.name);
        if (cfg.getNames(k.section, k.subsection).isEmpty()
                && (k.subsection != null || cfg.getSubsections(k.section).isEmpty())) {
            cfg.unsetSection(k.section, k.subsection);
        }
        cfg.save();
    }

    /** Whether a config value means true the way git reads booleans. */
    static boolean isTrue(String value) {
        if (value == null) {
            return false;
        }
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        return v.equals("true") || v.equals("yes") || v.equals("on") || v.equals("1") || v.isEmpty();
    }

    private record Key(String section, String subsection, String name) {
        static Key parse(String key) {
            int first = key.indexOf('.');
            int last = key.lastIndexOf('.');
            if (first <= 0 || last == key.length() - 1) {
                throw new IllegalArgumentException("not a config key: " + key);
            }
            String sub = first == last ? null : key.substring(first + 1, last);
            return new Key(key.substring(0, first), sub, key.substring(last + 1));
        }
    }
}
