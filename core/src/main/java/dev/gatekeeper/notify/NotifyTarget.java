package dev.gatekeeper.notify;

import dev.gatekeeper.verify.Backoff;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * A notification target as users write it: {@code slack:ENVVAR}, {@code discord:ENVVAR} or {@code webhook:ENVVAR}.
 * The URL is read from the environment variable so it never appears on a command line, in a config file or in a
 * log: webhook URLs are credentials.
 */
public record NotifyTarget(String kind, String envVar) {
    public static final Duration TIMEOUT = Duration.ofSeconds(5);
    public static final int ATTEMPTS = 3;
    public static final Backoff BACKOFF = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2));

    /** @throws IllegalArgumentException with the accepted forms */
    public static NotifyTarget parse(String spec) {
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? "" : spec.substring(0, colon).toLowerCase(Locale.ROOT);
        String var = colon < 0 ? "" : spec.substring(colon + 1);
        if (!(kind.equals("slack") || kind.equals("discord") || kind.equals("webhook"))
                || !var.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("'" + spec + "': expected slack:ENVVAR, discord:ENVVAR or "
                    + "webhook:ENVVAR (the variable holds the URL)");
        }
        return new NotifyTarget(kind, var);
    }

    /**
     * The endpoint, its URL read from {@code env}.
     *
     * @throws IllegalArgumentException when the variable is unset or empty, or holds no http(s) URL
     */
    public NotifyEndpoint resolve(Map<String, String> env) {
        String url = env.get(envVar);
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("$" + envVar + " (" + kind + ":" + envVar + ") is not set");
        }
        return new NotifyEndpoint(kind, url, "$" + envVar);
    }

    /**
     * The notifier for this target with retries, reading the URL from {@code env}.
     *
     * @throws IllegalArgumentException when the variable is unset or empty
     */
    public Notifier open(Map<String, String> env, Duration timeout, int attempts, Backoff backoff) {
        return resolve(env).open(timeout, attempts, backoff);
    }

    @Override
    public String toString() {
        return kind + ":" + envVar;
    }
}
