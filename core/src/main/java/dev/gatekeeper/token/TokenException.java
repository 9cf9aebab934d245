package dev.gatekeeper.token;

/** A token that is not valid for this use; the message is safe to show to the pusher (it never holds secrets). */
public final class TokenException extends Exception {
    private static final long serialVersionUID = 1L;

    public TokenException(String message) {
        super(message);
    }
}
