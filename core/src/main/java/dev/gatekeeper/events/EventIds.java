package dev.gatekeeper.events;

import java.util.SplittableRandom;

/**
 * Event ids that sort by time and are short enough to read out on a call: {@code ev-<millis base36>-<random>}.
 * Ids need to be unique, not unguessable, so no SecureRandom: initialising the security providers costs the
 * pre-receive hook ~25 ms per push.
 */
public final class EventIds {
    private static final SplittableRandom RANDOM =
            new SplittableRandom(System.nanoTime() ^ ProcessHandle.current().pid() << 32 ^ System.currentTimeMillis());
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private EventIds() {}

    public static synchronized String next() {
        StringBuilder sb = new StringBuilder("ev-").append(Long.toString(System.currentTimeMillis(), 36)).append('-');
        for (int i = 0; i < 6; i++) {
            sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }
}
