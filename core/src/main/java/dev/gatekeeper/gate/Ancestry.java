package dev.gatekeeper.gate;

import java.io.IOException;

/** Answers "is this update a fast-forward?", the only question the gate asks of the object database. */
public interface Ancestry {
    /**
     * @return true when {@code newId} is a commit that contains commit {@code oldId}; false for any rewrite,
     *     including updates whose old or new object is not a commit (a moved tag)
     * @throws IOException when the objects cannot be read (the gate then refuses: it cannot decide)
     */
    boolean isFastForward(String oldId, String newId) throws IOException;
}
