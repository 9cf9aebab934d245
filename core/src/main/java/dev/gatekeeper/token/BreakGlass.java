package dev.gatekeeper.token;

import dev.gatekeeper.policy.PolicyLocator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where the break-glass (admin) secret lives. Deliberately independent of the policy: break-glass must work
 * exactly when the policy is missing or broken. Order: {@code $GATEKEEPER_BREAK_GLASS_SECRET}, then the file
 * named by {@code $GATEKEEPER_BREAK_GLASS_SECRET_FILE}, then {@code $GIT_DIR/gatekeeper/break-glass.secret}, then
 * {@code ${GATEKEEPER_CONFIG_DIR:-/etc/gatekeeper}/break-glass.secret}.
 */
public final class BreakGlass {
    public static final String ENV_SECRET = "GATEKEEPER_BREAK_GLASS_SECRET";
    public static final String ENV_SECRET_FILE = "GATEKEEPER_BREAK_GLASS_SECRET_FILE";
    public static final String FILE_NAME = "break-glass.secret";
    /** Break-glass is for an outage, not a way of working: it never lives longer than this. */
    public static final Duration MAX_TTL = Duration.ofHours(1);
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(15);

    private BreakGlass() {}

    public static Optional<Secret> secret(Map<String, String> env, Path gitDir) {
        Optional<Secret> s = Secret.load(env, ENV_SECRET, fileFromEnv(env));
        if (s.isPresent()) {
            return s;
        }
        if (gitDir != null) {
            s = Secret.load(env, null, PolicyLocator.repoDir(gitDir).resolve(FILE_NAME));
            if (s.isPresent()) {
                return s;
            }
        }
        return Secret.load(env, null, PolicyLocator.configDir(env).resolve(FILE_NAME));
    }

    private static Path fileFromEnv(Map<String, String> env) {
        String f = env.get(ENV_SECRET_FILE);
        return f == null || f.isBlank() ? null : Path.of(f);
    }
}
