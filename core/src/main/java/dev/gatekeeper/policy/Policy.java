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
     * The audit trail: JSON lines, rotated by size, at most {@code maxFiles} rotated files kept. An empty {@code log}
     * means the repository's own {@code gatekeeper/events.jsonl}. Security events (refusals, policy errors) and the
     * ledger (allowed and landed updates of protected refs, break-glass uses) live beside it in files of their own,
     * each with its own budget, so that ordinary traffic never rotates them away.
     */
    public record Audit(Optional<Path> log, long maxFileBytes, int maxFiles, Budget security, Budget ledger) {
        public static final Budget DEFAULT_SECURITY = new Budget(10L * 1024 * 1024, 5);
        /** Only credentialed pushes write the ledger (about 400 bytes an update): 210 MB hold ~500,000 of them. */
        public static final Budget DEFAULT_LEDGER = new Budget(10L * 1024 * 1024, 20);

        public Audit(Optional<Path> log, long maxFileBytes, int maxFiles) {
            this(log, maxFileBytes, maxFiles, DEFAULT_SECURITY, DEFAULT_LEDGER);
        }
    }

    /** A file's size limit and how many rotated files are kept. */
    public record Budget(long maxFileBytes, int maxFiles) {}

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
