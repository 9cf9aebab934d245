package dev.gatekeeper.jenkins;

import hudson.console.ConsoleLogFilter;
import hudson.console.LineTransformationOutputStream;
import hudson.model.Run;
import hudson.util.Secret;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * The log of a {@code withGatekeeperToken} block: every occurrence of the block's token in a line is replaced with
 * {@code ****} (so {@code gatekeeper-token=<token>} becomes {@code gatekeeper-token=****}), as withCredentials does
 * for its secrets. Line by line, as Jenkins' filters work: a token split across two lines, or transformed (encoded,
 * reversed, cut), is not recognised.
 * <p>Serializable because Pipeline saves it with the running program and sends it to the agent to filter
 * {@code sh}'s output there; the token is held as a {@link Secret}, which Jenkins encrypts when it is saved.
 * The match is on bytes: the token is ASCII, so any ASCII-compatible log charset shows it as the same bytes, and a
 * line without it is passed on byte for byte (never decoded and re-encoded).
 */
final class TokenMaskingFilter extends ConsoleLogFilter implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String MASK = "****";

    private final Secret token;

    TokenMaskingFilter(String token) {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("nothing to mask");
        }
        this.token = Secret.fromString(token);
    }

    /** Pipeline calls this with a null build (and through the deprecated overload, which forwards here). */
    @SuppressWarnings("rawtypes")
    @Override
    public OutputStream decorateLogger(Run build, OutputStream logger) {
        return new Masking(logger, token.getPlainText().getBytes(StandardCharsets.UTF_8));
    }

    private static final class Masking extends LineTransformationOutputStream.Delegating {
        private static final byte[] MASK_BYTES = MASK.getBytes(StandardCharsets.US_ASCII);
        private final byte[] token;

        Masking(OutputStream out, byte[] token) {
            super(out);
            this.token = token.clone();
        }

        @Override
        protected void eol(byte[] b, int len) throws IOException {
            int from = 0;
            for (int i = indexOf(b, len, 0); i >= 0; i = indexOf(b, len, from)) {
                out.write(b, from, i - from);
                out.write(MASK_BYTES);
                from = i + token.length;
            }
            out.write(b, from, len - from);
        }

        private int indexOf(byte[] b, int len, int from) {
            outer:
            for (int i = from; i <= len - token.length; i++) {
                for (int j = 0; j < token.length; j++) {
                    if (b[i + j] != token[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        @Override
        public String toString() {
            return "TokenMaskingFilter.Masking[" + out + "]";
        }
    }
}
