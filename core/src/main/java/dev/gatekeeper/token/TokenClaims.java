package dev.gatekeeper.token;

import java.time.Instant;
import java.util.Optional;

/**
 * What a token says. A pipeline token is bound to one repository, ref and new SHA; a break-glass token to one
 * repository (and optionally one ref pattern) and always carries the reason and who asked for it.
 *
 * @param ref        the full ref name, or for break-glass a ref glob ("refs/**" for any)
 * @param sha        the new object id the pipeline may push; empty for break-glass
 * @param allowForce break-glass only: may also force-push and delete
 */
public record TokenClaims(
        Kind kind,
        String id,
        String repository,
        String ref,
        Optional<String> sha,
        Instant issuedAt,
        Instant expiresAt,
        Optional<String> reason,
        Optional<String> issuer,
        boolean allowForce) {

    /** The two kinds never share a secret or a meaning: a pipeline token is never accepted as break-glass. */
    public enum Kind {
        PIPELINE("pipeline"),
        BREAK_GLASS("break-glass");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        static Kind fromWire(String s) {
            for (Kind k : values()) {
                if (k.wire.equals(s)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown token kind");
        }
    }
}
