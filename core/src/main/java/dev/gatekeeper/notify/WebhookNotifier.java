package dev.gatekeeper.notify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A generic JSON webhook: {@code POST} of {@code {"source":"gatekeeper","severity":…,"title":…,"text":…,
 * "event":…,"time":…,"fields":{…}}}. Any 2xx is success.
 */
public final class WebhookNotifier implements Notifier {
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final JsonFactory FACTORY = new JsonFactory();

    private final String url;
    private final OkHttpClient client;

    public WebhookNotifier(String url, Duration timeout) {
        this.url = url;
        this.client = new OkHttpClient.Builder()
                .callTimeout(timeout)
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .retryOnConnectionFailure(false)
                .build();
    }

    @Override
    public void send(Alert alert) throws IOException {
        Request request = new Request.Builder().url(url).post(RequestBody.create(body(alert), JSON))
                .header("User-Agent", "gatekeeper").build();
        try (Response response = client.newCall(request).execute()) {
            if (!response.isSuccessful()) {
                throw new IOException("webhook answered HTTP " + response.code());
            }
        }
    }

    static String body(Alert alert) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("source", "gatekeeper");
            g.writeStringField("severity", alert.severity());
            g.writeStringField("title", alert.title());
            g.writeStringField("text", alert.text());
            if (alert.eventId() != null) {
                g.writeStringField("event", alert.eventId());
            }
            g.writeStringField("time", Instant.now().toString());
            g.writeObjectFieldStart("fields");
            for (Map.Entry<String, String> f : alert.fields().entrySet()) {
                g.writeStringField(f.getKey(), f.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        return w.toString();
    }

    @Override
    public String describe() {
        okhttp3.HttpUrl u = okhttp3.HttpUrl.parse(url);
        return u == null ? "webhook" : "webhook " + u.scheme() + "://" + u.host() + ":" + u.port();
    }
}
