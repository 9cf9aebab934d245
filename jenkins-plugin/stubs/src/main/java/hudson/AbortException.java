package hudson;

import java.io.IOException;

/** Stub of Jenkins core's AbortException: a failure whose message alone is shown, without a stack trace. */
public class AbortException extends IOException {
    private static final long serialVersionUID = 1L;

    public AbortException() {
    }

    public AbortException(String message) {
        super(message);
    }
}
