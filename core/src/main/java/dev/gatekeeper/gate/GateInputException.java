package dev.gatekeeper.gate;

/** Hook input that is not what git sends: the push is refused, never guessed at. */
public final class GateInputException extends Exception {
    private static final long serialVersionUID = 1L;

    public GateInputException(String message) {
        super(message);
    }
}
