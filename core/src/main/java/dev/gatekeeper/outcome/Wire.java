package dev.gatekeeper.outcome;

/** A value with one word on the wire (JSON, step results, Action outputs, events), the same in every packaging. */
public interface Wire {
    String wire();
}
