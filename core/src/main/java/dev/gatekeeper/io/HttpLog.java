package dev.gatekeeper.io;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * One log line per HTTP exchange of our OkHttp clients (logger {@code dev.gatekeeper.http}, level CONFIG): method,
 * where, status and time, e.g. {@code GET http://127.0.0.1:8080/health -> 503 in 12 ms}. Off unless the CLI's
 * {@code --verbose}/{@code --debug} (or a host's java.util.logging, e.g. a Jenkins log recorder) turns it on. Below
 * INFO, because a host that embeds core (the Jenkins controller, the Action's JVM) keeps java.util.logging's default
 * INFO, and at INFO every probe of a stabilize run wrote two lines to the Jenkins system log and the Action's output;
 * CONFIG rather than FINE because it is what {@code --verbose} shows, not debugging. Never a header, a body or a query
 * string; {@link #hostOnly} also leaves out the path, for URLs that are secrets themselves (chat webhooks, ping
 * URLs).
 */
public final class HttpLog implements Interceptor {
    /** The logger's name. */
    public static final String LOGGER = "dev.gatekeeper.http";
    private static final Logger LOG = Logger.getLogger(LOGGER);
    private static final HttpLog HOST_ONLY = new HttpLog(false);
    private static final HttpLog WITH_PATH = new HttpLog(true);

    private final boolean path;

    private HttpLog(boolean path) {
        this.path = path;
    }

    /** For clients whose URL may hold a secret: {@code POST https://hooks.slack.com/…}. */
    public static HttpLog hostOnly() {
        return HOST_ONLY;
    }

    /** {@code GET https://api.github.com/repos/o/r/branches/main/protection}, without the query. */
    public static HttpLog withPath() {
        return WITH_PATH;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        if (!LOG.isLoggable(Level.CONFIG)) {
            return chain.proceed(chain.request());
        }
        String what = chain.request().method() + " " + describe(chain.request().url());
        long started = System.nanoTime();
        try {
            Response r = chain.proceed(chain.request());
            LOG.config(what + " -> " + r.code() + " in " + ms(started) + " ms");
            return r;
        } catch (IOException | RuntimeException e) {
            LOG.config(what + " -> failed in " + ms(started) + " ms: " + e.getClass().getSimpleName() + ": "
                    + e.getMessage());
            throw e;
        }
    }

    String describe(HttpUrl u) {
        String origin = u.scheme() + "://" + u.host() + (u.port() == HttpUrl.defaultPort(u.scheme()) ? ""
                : ":" + u.port());
        return origin + (path ? u.encodedPath() : u.encodedPath().equals("/") ? "/" : "/…");
    }

    private static long ms(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
