package dev.gatekeeper.stabilize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * An HTTP(S) health check: a status in the expected range and, optionally, a body matching a regex or a JSON field
 * equal to a value. Header values come from the environment (auth tokens are never written in options or files).
 *
 * <p>Every measurement opens its own connection ({@code Connection: close}, a pool that keeps nothing idle): a
 * sample measures the service as a new client meets it. A kept-alive connection the server had closed (HTTP/1.0
 * servers such as Python's http.server, or any server closing after each answer) made every second sample an
 * "unexpected end of stream" ERROR (HttpProbeTest).
 *
 * <p>A refused connection is a FAILURE, as for {@link TcpProbe}: the host answered that nothing listens on the
 * port, which is what a service that crashed on start looks like. Timeouts, resets and DNS stay ERRORs.
 */
public final class HttpProbe implements Probe {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bodies are read up to this many bytes: a health endpoint answering megabytes is a failure, not a probe. */
    private static final long MAX_BODY = 1 << 20;

    private final String method;
    private final String url;
    private final int minStatus;
    private final int maxStatus;
    private final Pattern bodyRegex;
    private final String jsonField;
    private final String jsonValue;
    private final Map<String, String> headers;
    private final OkHttpClient client;

    /**
     * @param jsonField a dotted path ({@code status}, {@code checks.db}) whose text must equal {@code jsonValue}
     * @param headers   header name to value (already read from the environment)
     */
    public HttpProbe(String method, String url, int minStatus, int maxStatus, Pattern bodyRegex, String jsonField,
                     String jsonValue, Map<String, String> headers, Duration timeout) {
        this.method = method;
        this.url = url;
        this.minStatus = minStatus;
        this.maxStatus = maxStatus;
        this.bodyRegex = bodyRegex;
        this.jsonField = jsonField;
        this.jsonValue = jsonValue;
        this.headers = Map.copyOf(headers);
        this.client = new OkHttpClient.Builder().callTimeout(timeout).connectTimeout(timeout).readTimeout(timeout)
                .connectionPool(new ConnectionPool(0, 1, TimeUnit.MILLISECONDS))
                .retryOnConnectionFailure(false).followRedirects(false)
                .addInterceptor(dev.gatekeeper.io.HttpLog.withPath()).build();
    }

    @Override
    public Measurement measure() throws InterruptedException {
        long start = System.nanoTime();
        Request.Builder b = new Request.Builder().url(url).header("User-Agent", "gatekeeper-probe")
                .header("Connection", "close");
        headers.forEach(b::header);
        b.method(method, method.equals("POST") || method.equals("PUT") ? RequestBody.create(new byte[0]) : null);
        try (Response r = client.newCall(b.build()).execute()) {
            long ms = millis(start);
            int code = r.code();
            if (code < minStatus || code > maxStatus) {
                return Measurement.failure("HTTP " + code + " (expected " + range() + ")", ms);
            }
            if (bodyRegex == null && jsonField == null) {
                return Measurement.ok("HTTP " + code, ms);
            }
            String text = r.peekBody(MAX_BODY).string();
            return checkBody(code, text, millis(start));
        } catch (ConnectException | SocketTimeoutException | UnknownHostException e) {
            if (refused(e)) {
                return Measurement.failure("connection refused", millis(start));
            }
            return Measurement.error(describe(e), millis(start));
        } catch (InterruptedIOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
            }
            return Measurement.error("timed out", millis(start));
        } catch (IOException e) {
            if (refused(e)) {
                return Measurement.failure("connection refused", millis(start));
            }
            return Measurement.error(describe(e), millis(start));
        }
    }

    private Measurement checkBody(int code, String text, long ms) {
        if (bodyRegex != null && !bodyRegex.matcher(text).find()) {
            return Measurement.failure("HTTP " + code + " but the body does not match /" + bodyRegex.pattern() + "/",
                    ms);
        }
        if (jsonField != null) {
            JsonNode node;
            try {
                node = JSON.readTree(text);
            } catch (IOException e) {
                return Measurement.failure("HTTP " + code + " but the body is not JSON", ms);
            }
            for (String part : jsonField.split("\\.")) {
                node = node == null ? null : node.get(part);
            }
            String actual = node == null || node.isMissingNode() ? null : node.isValueNode() ? node.asText()
                    : node.toString();
            if (!jsonValue.equals(actual)) {
                return Measurement.failure("HTTP " + code + " but " + jsonField + " is " + (actual == null ? "missing"
                        : "'" + actual + "'") + " (expected '" + jsonValue + "')", ms);
            }
        }
        return Measurement.ok("HTTP " + code, ms);
    }

    /** Whether the connection was refused (ECONNREFUSED), not merely not made (unreachable network, timeout). */
    static boolean refused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException && t.getMessage() != null
                    && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("refused")) {
                return true;
            }
        }
        return false;
    }

    private static String describe(IOException e) {
        if (e instanceof ConnectException) {
            return "cannot connect: " + e.getMessage();
        }
        if (e instanceof SocketTimeoutException) {
            return "timed out";
        }
        if (e instanceof UnknownHostException) {
            return "unknown host";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private String range() {
        return minStatus == maxStatus ? Integer.toString(minStatus) : minStatus + "-" + maxStatus;
    }

    static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public String name() {
        okhttp3.HttpUrl u = okhttp3.HttpUrl.parse(url);
        // no query string: it may carry a key
        String shown = u == null ? url : u.scheme() + "://" + u.host() + ":" + u.port() + u.encodedPath();
        return "http " + method + " " + shown;
    }
}
