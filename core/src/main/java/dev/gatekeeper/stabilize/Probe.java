package dev.gatekeeper.stabilize;

/** Asks a service once whether it is healthy. Never throws: every outcome is a {@link Measurement}. */
public interface Probe {
    Measurement measure() throws InterruptedException;

    /** A short name without secrets, e.g. {@code http GET http://127.0.0.1:8080/health}, for messages and commits. */
    String name();
}
