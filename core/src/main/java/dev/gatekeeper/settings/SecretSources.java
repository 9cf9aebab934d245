package dev.gatekeeper.settings;

import dev.gatekeeper.notify.NotifyEndpoint;
import dev.gatekeeper.notify.NotifyTarget;
import dev.gatekeeper.token.Secret;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads secrets from where the CLI, a config file and the GitHub Action say they live (an environment variable,
 * a file), for the settings that take them as values. The Jenkins steps read theirs from credentials instead.
 * Every method throws an {@link IllegalArgumentException} that names the variable or file, never a value.
 */
public final class SecretSources {
    private SecretSources() {}

    /** The secret in {@code $envName}, else in {@code file}; at least one must be given and hold one. */
    public static Secret secret(Map<String, String> env, String envName, Path file) {
        try {
            return Secret.load(env, envName, file).orElseThrow(() -> new IllegalArgumentException("no secret: "
                    + (envName == null ? "" : "$" + envName + " is not set")
                    + (file == null ? "" : (envName == null ? "" : " and ") + file + " does not exist")));
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** {@code slack:VAR}, {@code discord:VAR} or {@code webhook:VAR}: the endpoint, its URL read from {@code $VAR}. */
    public static NotifyEndpoint notify(Map<String, String> env, String spec) {
        return NotifyTarget.parse(spec).resolve(env);
    }

    /** {@code NAME=VAR}: the header's name and its value read from {@code $VAR}. */
    public static String[] header(Map<String, String> env, String nameEqualsVar) {
        int eq = nameEqualsVar.indexOf('=');
        if (eq <= 0 || eq == nameEqualsVar.length() - 1) {
            throw new IllegalArgumentException("'" + nameEqualsVar + "': expected NAME=ENVVAR (the variable holds "
                    + "the value)");
        }
        String name = nameEqualsVar.substring(0, eq).trim();
        return new String[] {name, variable(env, nameEqualsVar.substring(eq + 1).trim(), "header " + name)};
    }

    /** The value of {@code $var}, which must be set and not blank. */
    public static String variable(Map<String, String> env, String var, String what) {
        String v = env.get(var);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("$" + var + " (" + what + ") is not set");
        }
        return v.trim();
    }
}
