package dev.gatekeeper.notify;

import dev.gatekeeper.verify.Backoff;
import java.time.Duration;
import java.util.Locale;

/**
 * Where notifications go, as a value: the kind ({@code slack}, {@code discord}, {@code webhook}) and the URL itself.
 * Packagings read the URL from where it lives (a variable named by {@code slack:VAR}, Jenkins credentials) and hand
 * over the value; the URL is a credential, so {@link #toString()} names only the kind and where it came from.
 */
public record NotifyEndpoint(String kind, String url, String origin) {
    public static final Duration TIMEOUT = Duration.ofSeconds(5);
    public static final int ATTEMPTS = 3;
    public static final Backoff BACKOFF = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2));

    /** @throws IllegalArgumentException for an unknown kind or a URL that is not http(s) (the URL is not repeated) */
    public NotifyEndpoint {
        kind = kind == null ? "" : kind.toLowerCase(Locale.ROOT);
        if (!(kind.equals("slack") || kind.equals("discord") || kind.equals("webhook"))) {
            throw new IllegalArgumentException("a notification is slack, discord or webhook, not '" + kind + "'");
        }
        url = url == null ? "" : url.trim();
        if (!url.startsWith("https://") && !url.startsWith("http://")) {
            throw new IllegalArgumentException("the " + kind + " URL from " + origin + " is not an http(s) URL");
        }
    }

    /** The notifier with the default timeout and retries. */
    public Notifier open() {
        return open(TIMEOUT, ATTEMPTS, BACKOFF);
    }

    public Notifier open(Duration timeout, int attempts, Backoff backoff) {
        Notifier n = switch (kind) {
            case "slack" -> new SlackNotifier(url, timeout);
            case "discord" -> new DiscordNotifier(url, timeout);
            default -> new WebhookNotifier(url, timeout);
        };
        return new RetryingNotifier(n, attempts, backoff);
    }

    @Override
    public String toString() {
        return kind + " (" + origin + ")";
    }
}
