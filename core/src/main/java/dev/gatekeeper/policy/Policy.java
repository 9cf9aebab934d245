package dev.gatekeeper.policy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A loaded, validated policy. Immutable. Paths in it are already resolved against the policy file's folder.
 *
 * @param source     where it was read from
 * @param repository the repository name tokens are bound to; empty means "the bare repository's folder name"
 */
public record Policy(
        Path source,
        int version,
        Optional<String> repository,
        Identity identity,
        List<ProtectedRef> protectedRefs,
        Audit audit,
        Alert alert) {

    public Policy {
        protectedRefs = List.copyOf(protectedRefs);
    }

    /** The first rule whose pattern matches, in the policy's order; empty when the ref is not protected. */
    public Optional<ProtectedRef> ruleFor(String refName) {
        for (ProtectedRef rule : protectedRefs) {
            if (rule.pattern().matches(refName)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    /** How the pipeline proves itself. */
    public record Identity(List<String> pusherEnv, TokenSettings token, List<String> signedPushKeys) {
        public Identity {
            pusherEnv = List.copyOf(pusherEnv);
            signedPushKeys = List.copyOf(signedPushKeys);
        }
    }

    /** Where the pipeline token's HMAC secret comes from: the environment variable first, then the file. */
    public record TokenSettings(String secretEnv, Path secretFile, Duration maxTtl) {}

    /**
     * One protected ref pattern.
     *
     * @param pushers        authenticated pusher names that count as the pipeline
     * @param acceptToken    whether a valid pipeline token is proof
     * @param acceptSigned   whether a signed push by an allowed key is proof
     * @param allowForcePush whether non-fast-forward updates may pass (with proof); default false, even for the pipeline
     * @param allowDeletion  whether deletion may pass (with proof); default false, even for the pipeline
     * @param howToLand      told to a refused pusher: how to get the change in properly
     */
    public record ProtectedRef(
            RefPattern pattern,
            List<String> pushers,
            boolean acceptToken,
            boolean acceptSigned,
            boolean allowForcePush,
            boolean allowDeletion,
            String howToLand) {
        public ProtectedRef {
            pushers = List.copyOf(pushers);
        }
    }

    /**
     * The audit log: JSON lines, rotated by size, at most {@code maxFiles} rotated files kept. An empty {@code log}
     * means the repository's own {@code gatekeeper/events.jsonl}.
     */
    public record Audit(Optional<Path> log, long maxFileBytes, int maxFiles) {}

    /** Where alerts go; {@code webhook} is empty when none is configured. */
    public record Alert(Optional<String> webhook, Optional<String> webhookEnv, Optional<Path> webhookFile,
                        Set<String> on, Duration timeout) {
        public Alert {
            on = Set.copyOf(on);
        }

        public boolean configured() {
            return webhook.isPresent() || webhookEnv.isPresent() || webhookFile.isPresent();
        }
    }
}
