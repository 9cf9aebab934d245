package dev.gatekeeper.policy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the policy that judges pushes to a repository. The order, first found wins:
 * <ol>
 *   <li>{@code $GATEKEEPER_POLICY}: an explicit file, set by the server admin in the hook's environment;</li>
 *   <li>{@code $GIT_DIR/gatekeeper/policy.yaml}: per repository;</li>
 *   <li>{@code ${GATEKEEPER_CONFIG_DIR:-/etc/gatekeeper}/policy.yaml}: the server-wide default.</li>
 * </ol>
 * None of these is reachable through a push: a push writes objects and refs, never files under
 * {@code $GIT_DIR/gatekeeper} or {@code /etc}, and the policy is never read from the pushed tree. So a push can
 * never weaken the policy that judges it.
 */
public final class PolicyLocator {
    public static final String ENV_POLICY = "GATEKEEPER_POLICY";
    public static final String ENV_CONFIG_DIR = "GATEKEEPER_CONFIG_DIR";
    public static final String DEFAULT_CONFIG_DIR = "/etc/gatekeeper";
    public static final String REPO_DIR = "gatekeeper";
    public static final String POLICY_FILE = "policy.yaml";

    /** A policy file and how it was found, for messages and the audit log. */
    public record Located(Path path, String how) {}

    private PolicyLocator() {}

    /**
     * @return the policy file to load; empty when there is none anywhere (the gate then fails closed). An
     *     explicit {@code $GATEKEEPER_POLICY} is returned even when the file is missing, so that loading it fails
     *     loudly instead of silently falling through to a weaker default.
     */
    public static Optional<Located> locate(Map<String, String> env, Path gitDir) {
        String explicit = env.get(ENV_POLICY);
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(new Located(Path.of(explicit), "environment " + ENV_POLICY));
        }
        if (gitDir != null) {
            Path perRepo = repoDir(gitDir).resolve(POLICY_FILE);
            if (Files.exists(perRepo)) {
                return Optional.of(new Located(perRepo, "repository"));
            }
        }
        Path serverWide = configDir(env).resolve(POLICY_FILE);
        if (Files.exists(serverWide)) {
            return Optional.of(new Located(serverWide, "server default"));
        }
        return Optional.empty();
    }

    /** The folder inside a repository's git directory that holds its policy, secrets, events and hook manifest. */
    public static Path repoDir(Path gitDir) {
        return gitDir.resolve(REPO_DIR);
    }

    public static Path configDir(Map<String, String> env) {
        String dir = env.get(ENV_CONFIG_DIR);
        return Path.of(dir == null || dir.isBlank() ? DEFAULT_CONFIG_DIR : dir);
    }
}
