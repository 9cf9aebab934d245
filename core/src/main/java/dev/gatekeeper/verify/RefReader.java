package dev.gatekeeper.verify;

import java.util.Optional;

/**
 * Reads one ref of one remote repository: through the file system, any git transport (JGit) or the GitHub REST
 * API. A reader is used by one thread at a time; verify-push may abandon a call that overruns its deadline, so
 * implementations keep no state that a half-finished call could corrupt.
 */
public interface RefReader extends AutoCloseable {

    /**
     * @param ref full ref name, e.g. {@code refs/heads/main}
     * @return the object id the ref points at (peeled when the remote says what a tag points at); empty when the
     *     remote has no such ref
     */
    Optional<String> tip(String ref) throws RemoteReadException;

    /**
     * Whether {@code commit} is {@code tip} or one of its ancestors, as the remote's history says.
     *
     * @return false also when {@code commit} is unknown to the remote
     */
    boolean contains(String tip, String commit) throws RemoteReadException;

    /** Which way it reads: {@code local}, {@code git} or {@code github}. */
    String kind();

    /** The remote for messages and events, never with credentials. */
    String describe();

    @Override
    void close();
}
