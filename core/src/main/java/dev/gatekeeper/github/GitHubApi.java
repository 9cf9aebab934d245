package dev.gatekeeper.github;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.gatekeeper.verify.RemoteReadException;
import dev.gatekeeper.verify.RemoteReadException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.kohsuke.github.connector.GitHubConnector;
import org.kohsuke.github.connector.GitHubConnectorRequest;
import org.kohsuke.github.connector.GitHubConnectorResponse;
import org.kohsuke.github.extras.okhttp3.OkHttpGitHubConnector;

/**
 * GitHub's REST API as verify-push and drift read it: GETs through github-api's connector layer (its OkHttp
 * connector), with the status, the headers and the body judged here.
 *
 * <p>Why not github-api's object layer ({@code GHRepository.getRef}, {@code GHBranch.getProtection}): it answers
 * questions we must not let it answer for us. {@code GHRef.read} turns any body it cannot parse into "ref not found"
 * (it expects GitHub Enterprise's list answers there), so a truncated or ill-typed answer became "the branch does
 * not exist". Its error handler turns every 404 into a {@code FileNotFoundException} without the body, so
 * "Branch not protected" cannot be told from the 404 GitHub gives a token without admin rights. Its builder asks
 * {@code GET /user} for a login when given a token, which GitHub refuses to App installation tokens. And it names a
 * secondary rate limit given only in the body "access denied". At the connector level we see exactly what GitHub
 * sent and decide what it means; we never ask {@code /user}.
 *
 * <p>Nothing waits here unless {@link #waitForRateLimitsUntil} is set (drift): verify-push decides itself whether a
 * rate limit ends within its deadline.
 */
public final class GitHubApi {
    public static final String DEFAULT_API_URL = "https://api.github.com";
    /** A list longer than this many pages is not read to the end (GitHub pages rules 30 at a time). */
    static final int MAX_PAGES = 40;
    private static final OkHttpClient SHARED = new OkHttpClient();
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"?([^\";,]+)\"?");

    private final String apiUrl;
    private final HttpUrl base;
    private final String token;
    private final GitHubConnector connector;
    private final AtomicInteger secondaryInARow = new AtomicInteger();
    private volatile Instant waitUntil;

    /**
     * @param apiUrl  the API's base URL (null: api.github.com); GitHub Enterprise Server: {@code https://HOST/api/v3}
     * @param token   a token (classic, fine-grained, App installation), or null for anonymous
     * @param timeout the longest one HTTP call may take
     */
    public GitHubApi(String apiUrl, String token, Duration timeout) {
        this.apiUrl = apiUrl == null ? DEFAULT_API_URL : stripSlash(apiUrl);
        HttpUrl parsed = HttpUrl.parse(this.apiUrl);
        if (parsed == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + apiUrl);
        }
        this.base = parsed;
        this.token = token;
        // redirects (renamed repositories answer 301) are followed by OkHttp, which drops the Authorization header
        // when one leads to another host; https to http is never followed
        OkHttpClient http = SHARED.newBuilder().callTimeout(timeout).connectTimeout(timeout).readTimeout(timeout)
                .retryOnConnectionFailure(false).followRedirects(true).followSslRedirects(false)
                .addInterceptor(dev.gatekeeper.io.HttpLog.withPath()).build();
        this.connector = new OkHttpGitHubConnector(http, -1);
    }

    /**
     * Waits out rate limits that end by {@code deadline} (with backoff when GitHub gives no time) instead of
     * failing at once; drift uses it within its timeout. Null: never wait.
     */
    public GitHubApi waitForRateLimitsUntil(Instant deadline) {
        this.waitUntil = deadline;
        return this;
    }

    public String apiUrl() {
        return apiUrl;
    }

    public boolean hasToken() {
        return token != null;
    }

    /** What GitHub answered: every status but a rate limit comes back; the caller says what each one means. */
    public static final class Answer {
        private final int status;
        private final String url;
        private final Map<String, String> headers;
        private final byte[] body;
        private final String bodyProblem;

        Answer(int status, String url, Map<String, String> headers, byte[] body, String bodyProblem) {
            this.status = status;
            this.url = url;
            this.headers = headers;
            this.body = body;
            this.bodyProblem = bodyProblem;
        }

        public int status() {
            return status;
        }

        public String url() {
            return url;
        }

        public String header(String name) {
            return headers.get(name);
        }

        /**
         * The body as JSON, strictly: an empty, cut or malformed body, or one with something after the JSON, is no
         * answer ({@link Kind#BAD_ANSWER}).
         */
        public JsonNode json(String doing) throws RemoteReadException {
            if (bodyProblem != null) {
                throw bad(doing, bodyProblem);
            }
            if (body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()) {
                throw bad(doing, "an empty body");
            }
            try {
                JsonNode n = JSON.readTree(body);
                return n == null ? JsonNodeFactory.instance.missingNode() : n;
            } catch (JsonEOFException e) {
                throw bad(doing, "a truncated body (the JSON ends after " + body.length + " bytes)");
            } catch (JsonProcessingException e) {
                throw bad(doing, "not JSON (" + e.getOriginalMessage() + ")");
            } catch (IOException e) {
                throw bad(doing, "an unreadable body (" + e.getMessage() + ")");
            }
        }

        /** Reads the JSON body with {@code reader}; a {@link Fields.WrongShape} makes it no answer. */
        public <T> T read(String doing, Function<JsonNode, T> reader) throws RemoteReadException {
            JsonNode n = json(doing);
            try {
                return reader.apply(n);
            } catch (Fields.WrongShape e) {
                throw bad(doing, e.getMessage());
            }
        }

        /** GitHub's {@code message} (error answers carry one), or "" when the body has none. */
        public String message() {
            if (body == null || body.length == 0) {
                return "";
            }
            try {
                JsonNode n = JSON.readTree(body);
                return n != null && n.path("message").isTextual() ? n.get("message").asText() : "";
            } catch (IOException e) {
                return "";
            }
        }

        /** Not an answer GitHub gives to this question. */
        public RemoteReadException bad(String doing, String what) {
            return new RemoteReadException(Kind.BAD_ANSWER, "unexpected answer from " + url + " while " + doing
                    + ": " + what, null);
        }

        /** The failure for a status the caller has no meaning for. */
        public RemoteReadException unexpected(String doing) {
            String said = message().isBlank() ? "" : " (" + RateLimit.oneLine(message()) + ")";
            if (status == 401) {
                return new RemoteReadException(Kind.AUTH_FAILED, url + " answered HTTP 401" + said + " while "
                        + doing + ": the token is missing, wrong or expired", null);
            }
            if (status == 403) {
                return new RemoteReadException(Kind.AUTH_FAILED, url + " answered HTTP 403" + said + " while "
                        + doing + ": the token lacks a permission for this", null);
            }
            return new RemoteReadException(Kind.UNREACHABLE, url + " answered HTTP " + status + said + " while "
                    + doing, null);
        }

        /** The URL of {@code Link: <…>; rel="next"}, or null. */
        String link(String rel) {
            String link = headers.get("Link");
            if (link == null) {
                return null;
            }
            Matcher m = LINK.matcher(link);
            while (m.find()) {
                if (m.group(2).trim().equals(rel)) {
                    return m.group(1).trim();
                }
            }
            return null;
        }
    }

    /** {@code GET} a path under the API ({@code repos/acme/app/branches/main}); each segment is escaped. */
    public Answer get(String path, String doing) throws RemoteReadException {
        HttpUrl.Builder b = base.newBuilder();
        for (String segment : path.split("/")) {
            b.addPathSegment(segment);
        }
        return fetch(b.build(), doing);
    }

    /**
     * Every page of a list ({@code Link: rel="next"}): the first answer when it is not a 200 (the caller judges
     * it), else one answer whose JSON is all the pages' items in order. A page that is not a list is no answer.
     */
    public Answer getAllPages(String path, String doing) throws RemoteReadException {
        Answer first = get(path, doing);
        if (first.status() != 200) {
            return first;
        }
        List<JsonNode> items = new ArrayList<>();
        Answer page = first;
        for (int n = 1; ; n++) {
            JsonNode list = page.json(doing);
            if (!list.isArray()) {
                throw page.bad(doing, "page " + n + " is " + Fields.describe(list) + ", not a list");
            }
            list.forEach(items::add);
            String next = page.link("next");
            if (next == null) {
                break;
            }
            if (n >= MAX_PAGES) {
                throw page.bad(doing, "more than " + MAX_PAGES + " pages");
            }
            HttpUrl url = HttpUrl.parse(next);
            if (url == null || !url.scheme().equals(base.scheme()) || !url.host().equals(base.host())
                    || url.port() != base.port() || !url.encodedPath().startsWith(base.encodedPath())) {
                throw page.bad(doing, "the next page is outside " + apiUrl + ": " + next);
            }
            page = fetch(url, doing);
            if (page.status() != 200) {
                throw page.unexpected(doing + " (page " + (n + 1) + ")");
            }
        }
        byte[] all;
        try {
            all = JSON.writeValueAsBytes(JSON.createArrayNode().addAll(items));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new Answer(200, first.url(), first.headers, all, null);
    }

    /**
     * The repository, which must be there before anything in it is read: a 404 here is "no such repository (or
     * the token cannot see it)", not a missing branch.
     */
    public JsonNode repository(String fullName) throws RemoteReadException {
        String doing = "reading the repository " + fullName;
        Answer a = get("repos/" + fullName, doing);
        if (a.status() == 404) {
            throw new RemoteReadException(Kind.NO_REPOSITORY, "no repository " + fullName + " at " + apiUrl
                    + (token == null ? " (no token: private repositories look missing)"
                            : ", or the token cannot see it"), null);
        }
        if (a.status() != 200) {
            throw a.unexpected(doing);
        }
        return a.read(doing, n -> {
            Fields.asObject(n, "the repository");
            Fields.text(n, "full_name");
            return n;
        });
    }

    private Answer fetch(HttpUrl url, String doing) throws RemoteReadException {
        while (true) {
            try {
                return fetchOnce(url, doing);
            } catch (RemoteReadException e) {
                Instant until = waitUntil;
                if (e.kind() != Kind.RATE_LIMITED || until == null || e.retryAt().isEmpty()) {
                    throw e;
                }
                Instant at = e.retryAt().get();
                if (at.isAfter(until)) {
                    throw new RemoteReadException(Kind.RATE_LIMITED, e.getMessage() + "; that is past the timeout, "
                            + "so this read gives up", at, e);
                }
                try {
                    Thread.sleep(Math.max(0, Duration.between(Instant.now(), at).toMillis()));
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    throw new RemoteReadException(Kind.TIMED_OUT, "interrupted while waiting out a rate limit of "
                            + apiUrl, stop);
                }
            }
        }
    }

    private Answer fetchOnce(HttpUrl url, String doing) throws RemoteReadException {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Accept", List.of("application/vnd.github+json"));
        headers.put("User-Agent", List.of("gatekeeper"));
        if (token != null) {
            headers.put("Authorization", List.of("token " + token));
        }
        Request request = new Request(url.url(), headers);
        try (GitHubConnectorResponse r = connector.send(request)) {
            Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            r.allHeaders().forEach((k, v) -> {
                if (k != null && v != null && !v.isEmpty()) {
                    h.put(k, v.get(0));
                }
            });
            byte[] body = null;
            String problem = null;
            try (InputStream in = r.bodyStream()) {
                body = in.readAllBytes();
            } catch (IOException | RuntimeException e) {
                // a body cut off in transit, or an encoding we cannot read: the status alone decides nothing
                problem = "a body that could not be read to its end (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
            }
            String shown = r.request().url().toString();
            Answer a = new Answer(r.statusCode(), shown, h, body == null ? new byte[0] : body, problem);
            var limit = RateLimit.of(a.status(), a::header, a.message(), Instant.now(), secondaryInARow.get());
            if (limit.isPresent()) {
                RateLimit.Limit l = limit.get();
                if (!l.primary() && "backoff".equals(l.givenBy())) {
                    secondaryInARow.incrementAndGet();
                }
                long ms = Math.max(0, Duration.between(Instant.now(), l.retryAt()).toMillis());
                throw new RemoteReadException(Kind.RATE_LIMITED, apiUrl + ": " + l.why() + " while " + doing
                        + "; ask again in " + (ms + 999) / 1000 + " s (" + l.givenBy() + ")", l.retryAt(), null);
            }
            secondaryInARow.set(0);
            if (problem != null && a.status() != 200) {
                throw a.bad(doing, problem);
            }
            return a;
        } catch (RemoteReadException e) {
            throw e;
        } catch (IOException e) {
            throw transport(e, doing);
        } catch (RuntimeException e) {
            throw new RemoteReadException(Kind.BAD_ANSWER, "unexpected answer from " + apiUrl + " while " + doing
                    + ": " + e, e);
        }
    }

    /** Sorts what the connection threw into what a retry can fix. */
    private RemoteReadException transport(IOException e, String doing) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedIOException) {
                return new RemoteReadException(Kind.TIMED_OUT, apiUrl + " did not answer in time while " + doing, e);
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof SocketException) {
                return new RemoteReadException(Kind.UNREACHABLE, "cannot reach " + apiUrl + " ("
                        + t.getClass().getSimpleName() + ": " + t.getMessage() + ") while " + doing, e);
            }
        }
        return new RemoteReadException(Kind.UNREACHABLE, "cannot read " + apiUrl + " while " + doing + ": "
                + e.getMessage(), e);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** A bodiless GET as github-api's connector takes it. */
    private record Request(URL url, Map<String, List<String>> allHeaders) implements GitHubConnectorRequest {
        @Override
        public String method() {
            return "GET";
        }

        @Override
        public String header(String name) {
            List<String> v = allHeaders.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        @Override
        public String contentType() {
            return null;
        }

        @Override
        public InputStream body() {
            return null;
        }

        @Override
        public boolean hasBody() {
            return false;
        }
    }
}
