package dev.gatekeeper.notify;

import java.io.IOException;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * One JSON {@code POST} with a hard timeout, shared by every webhook format. The URL is a secret (Slack and
 * Discord put the credential in the path), so only {@link #describe()} (scheme, host, port) ever reaches a message.
 */
final class JsonPost {
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final String url;
    private final OkHttpClient client;

    JsonPost(String url, Duration timeout) {
        this.url = url;
        this.client = new OkHttpClient.Builder()
                .callTimeout(timeout)
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .retryOnConnectionFailure(false)
                .addInterceptor(dev.gatekeeper.io.HttpLog.hostOnly()) // the webhook URL is a secret
                .build();
    }

    void post(String body) throws IOException {
        Request request = new Request.Builder().url(url).post(RequestBody.create(body, JSON))
                .header("User-Agent", "gatekeeper").build();
        try (Response response = client.newCall(request).execute()) {
            if (!response.isSuccessful()) {
                throw new IOException("answered HTTP " + response.code());
            }
        }
    }

    String describe(String kind) {
        HttpUrl u = HttpUrl.parse(url);
        return u == null ? kind : kind + " " + u.scheme() + "://" + u.host() + ":" + u.port();
    }
}
