package dev.gatekeeper.verify;

/**
 * One read of the remote.
 *
 * @param phase   {@code before} (wrap mode, the state before the command) or {@code verify}
 * @param atMillis when it started, in milliseconds since verify-push started
 * @param millis  how long it took
 * @param tip     the tip it read ({@code null} with an error, or when the branch does not exist)
 * @param error   why the read failed, or null
 */
public record Attempt(String phase, int number, long atMillis, long millis, String tip, String error) {}
