package dev.gatekeeper;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version of this build, as Maven wrote it into {@code dev/gatekeeper/version.properties} (resource filtering),
 * so that the CLI, verify-push and the hook jar report the same real version, also when run from classes. Read
 * only when asked for: the hook path never loads this class unless {@code --version} was given.
 */
public final class Version {
    private static final String RESOURCE = "version.properties";

    private Version() {}

    /** e.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} only for a build whose resource is missing or unfiltered. */
    public static String current() {
        try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "").trim();
            return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** What {@code --version} prints: {@code gatekeeper 0.1.0}. */
    public static String line() {
        return "gatekeeper " + current();
    }
}
