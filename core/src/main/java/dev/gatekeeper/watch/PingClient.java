package dev.gatekeeper.watch;

import dev.gatekeeper.verify.Backoff;
import java.io.IOException;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The ping-service convention (Healthchecks.io and compatible: Cronitor's, Uptime Kuma's push monitors):
 * {@code URL/start} when a run starts, {@code URL} when it worked, {@code URL/<exit code>} when it did not, and
 * {@code URL/fail} when it was stopped before it could finish. Each ping is a POST whose body is one line about
 * the run (the service shows it in its log). A few short tries: a ping must never hold up or fail the job, and
 * a missed ping is what the service alerts on anyway.
 */
public final class PingClient {
    public static final Duration TIMEOUT = Duration.ofSeconds(3);
    public static final int ATTEMPTS = 3;
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1));
    private static final MediaType TEXT = MediaType.get("text/plain; charset=utf-8");

    private final HttpUrl base;
    private final OkHttpClient client;
    private final int attempts;

    /** @throws IllegalArgumentException when {@code url} is not an http(s) URL */
    public PingClient(String url, Duration timeout, int attempts) {
        HttpUrl u = HttpUrl.parse(url == null ? "" : url.trim());
        if (u == null) {
            throw new IllegalArgumentException("--ping-url: not an http:// or https:// URL");
        }
        this.base = u;
        this.attempts = Math.max(1, attempts);
        this.client = new OkHttpClient.Builder().callTimeout(timeout).connectTimeout(timeout).readTimeout(timeout)
                .retryOnConnectionFailure(false).addInterceptor(dev.gatekeeper.io.HttpLog.hostOnly()).build();
    }

    public PingClient(String url) {
        this(url, TIMEOUT, ATTEMPTS);
    }

    /** The URL for a signal: "" (success), "start", "fail" or an exit code. */
    HttpUrl url(String signal) {
        if (signal.isEmpty()) {
            return base;
        }
        HttpUrl.Builder b = base.newBuilder();
        // https://hc-ping.com/<uuid>/ and https://hc-ping.com/<uuid> both become …/<uuid>/start
        if (base.pathSegments().get(base.pathSegments().size() - 1).isEmpty()) {
            b.removePathSegment(base.pathSegments().size() - 1);
        }
        return b.addPathSegment(signal).build();
    }

    public void start(String body) throws IOException {
        send("start", body);
    }

    /** The end of a run: success when it {@linkplain JobRecord#worked worked}, else its exit code. */
    public void end(int exit, String body) throws IOException {
        send(JobRecord.worked(exit) ? "" : Integer.toString(exit), body);
    }

    public void fail(String body) throws IOException {
        send("fail", body);
    }

    private void send(String signal, String body) throws IOException {
        Request req = new Request.Builder().url(url(signal)).header("User-Agent", "gatekeeper")
                .post(RequestBody.create(body == null ? "" : body, TEXT)).build();
        IOException last = null;
        for (int n = 1; n <= attempts; n++) {
            try (Response r = client.newCall(req).execute()) {
                if (r.isSuccessful()) {
                    return;
                }
                last = new IOException("answered HTTP " + r.code());
                if (r.code() >= 400 && r.code() < 500 && r.code() != 429) {
                    break; // a wrong URL stays wrong
                }
            } catch (IOException e) {
                last = e;
            }
            if (n < attempts) {
                try {
                    Thread.sleep(BACKOFF.delay(n).toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new IOException("ping " + signal(signal) + " to " + describe() + " failed: " + last.getMessage());
    }

    private static String signal(String s) {
        return s.isEmpty() ? "success" : s;
    }

    /** Scheme, host and port only: a ping URL's path is its secret. */
    public String describe() {
        return base.scheme() + "://" + base.host() + ":" + base.port();
    }
}
