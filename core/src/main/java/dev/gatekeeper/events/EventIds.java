package dev.gatekeeper.events;

import java.security.SecureRandom;

/**
 * Event ids that sort by time and are short enough to read out on a call: {@code ev-<millis base36>-<random>}.
 */
public final class EventIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private EventIds() {}

    public static String next() {
        StringBuilder sb = new StringBuilder("ev-").append(Long.toString(System.currentTimeMillis(), 36)).append('-');
        for (int i = 0; i < 6; i++) {
            sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }
}
