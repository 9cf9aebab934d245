package dev.gatekeeper.verify;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import okhttp3.OkHttpClient;
import org.kohsuke.github.GHCompare;
import org.kohsuke.github.GHRef;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.GitHubRateLimitHandler;
import org.kohsuke.github.HttpException;
import org.kohsuke.github.connector.GitHubConnectorResponse;
import org.kohsuke.github.extras.okhttp3.OkHttpGitHubConnector;

/**
 * The GitHub REST API through the github-api library: {@code GET /repos/{owner}/{repo}} once, then
 * {@code GET /repos/{owner}/{repo}/git/refs/heads/{branch}} per read, and {@code compare/{commit}...{tip}} for
 * {@code --contains}. Works with GitHub Enterprise Server through its API base URL.
 *
 * <p>The library's own rate-limit handling waits as long as GitHub says, which can be an hour. Ours never waits
 * here: it turns the primary rate limit ({@code x-ratelimit-remaining: 0}, {@code x-ratelimit-reset}) and the
 * secondary one ({@code Retry-After}) into a {@link RemoteReadException} with the time GitHub gave, and
 * verify-push decides whether that time is within its deadline.
 */
public final class GitHubRefReader implements RefReader {
    public static final String DEFAULT_API_URL = "https://api.github.com";

    private final String apiUrl;
    private final String repositoryName;
    private final String token;
    private final Duration timeout;
    private volatile GHRepository repository;

    static {
        // github-api logs each of its own connection retries at INFO on stderr; our verdict line says what matters
        java.util.logging.Logger.getLogger("org.kohsuke.github").setLevel(java.util.logging.Level.WARNING);
    }

    /**
     * @param repositoryName {@code OWNER/REPO}
     * @param token          a token (classic, fine-grained or an app installation token), or null for anonymous
     * @param timeout        the longest one HTTP call may take
     */
    public GitHubRefReader(String apiUrl, String repositoryName, String token, Duration timeout) {
        this.apiUrl = apiUrl == null ? DEFAULT_API_URL : stripSlash(apiUrl);
        this.repositoryName = repositoryName;
        this.token = token;
        this.timeout = timeout;
    }

    @Override
    public Optional<String> tip(String ref) throws RemoteReadException {
        GHRepository repo = repository();
        try {
            GHRef r = repo.getRef(ref);
            return Optional.of(r.getObject().getSha());
        } catch (FileNotFoundException e) {
            return Optional.empty(); // the repository was there a moment ago: it is the branch that is missing
        } catch (IOException e) {
            throw classify(e, "reading " + ref);
        } catch (RuntimeException e) {
            throw unexpected(e, "reading " + ref);
        }
    }

    @Override
    public boolean contains(String tip, String commit) throws RemoteReadException {
        try {
            GHCompare.Status s = repository().getCompare(commit, tip).getStatus();
            // "ahead": the tip is ahead of the commit, so the commit is in its history
            return s == GHCompare.Status.ahead || s == GHCompare.Status.identical;
        } catch (FileNotFoundException e) {
            return false; // GitHub does not know the commit at all
        } catch (IOException e) {
            throw classify(e, "comparing " + commit + " with " + tip);
        } catch (RuntimeException e) {
            throw unexpected(e, "comparing " + commit + " with " + tip);
        }
    }

    /** The repository, read once; the drift scanner reads its branch protection through it. */
    public GHRepository repository() throws RemoteReadException {
        GHRepository r = repository;
        if (r == null) {
            try {
                r = client().getRepository(repositoryName);
            } catch (FileNotFoundException e) {
                throw new RemoteReadException(RemoteReadException.Kind.NO_REPOSITORY, "no repository "
                        + repositoryName + " at " + apiUrl + (token == null ? " (no token: private repositories "
                        + "look missing)" : ", or the token cannot see it"), e);
            } catch (IOException e) {
                throw classify(e, "reading the repository");
            }
            repository = r;
        }
        return r;
    }

    private GitHub client() throws IOException {
        OkHttpClient http = new OkHttpClient.Builder().callTimeout(timeout).connectTimeout(timeout)
                .readTimeout(timeout).retryOnConnectionFailure(false).followRedirects(false).build();
        GitHubBuilder b = new GitHubBuilder().withEndpoint(apiUrl)
                .withConnector(new OkHttpGitHubConnector(http, -1))
                .withRateLimitHandler(new GitHubRateLimitHandler() {
                    @Override
                    public void onError(GitHubConnectorResponse response) throws IOException {
                        throw new RateLimited("rate limit exhausted", retryAt(response));
                    }
                })
                .withAbuseLimitHandler(new GitHubAbuseLimitHandler() {
                    @Override
                    public void onError(GitHubConnectorResponse response) throws IOException {
                        throw new RateLimited("secondary rate limit (HTTP " + response.statusCode() + ")",
                                retryAt(response));
                    }
                });
        if (token != null) {
            b = b.withOAuthToken(token);
        }
        return b.build();
    }

    /**
     * When GitHub will answer again: {@code Retry-After} (seconds or an HTTP date), else {@code x-ratelimit-reset}
     * (epoch seconds, measured against the response's {@code Date} so our clock's skew does not matter), else a
     * minute, as GitHub's documentation advises.
     */
    static Instant retryAt(GitHubConnectorResponse response) {
        Instant now = Instant.now();
        Instant serverNow = now;
        String date = response.header("Date");
        if (date != null) {
            try {
                serverNow = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException ignored) {
                // keep our clock
            }
        }
        String retryAfter = response.header("Retry-After");
        if (retryAfter != null) {
            try {
                return now.plusSeconds(Math.max(0, Long.parseLong(retryAfter.trim())));
            } catch (NumberFormatException notSeconds) {
                try {
                    Instant at = ZonedDateTime.parse(retryAfter.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                            .toInstant();
                    return now.plus(Duration.between(serverNow, at));
                } catch (DateTimeParseException ignored) {
                    // fall through to the reset header
                }
            }
        }
        String reset = response.header("X-RateLimit-Reset");
        if (reset != null) {
            try {
                Instant at = Instant.ofEpochSecond(Long.parseLong(reset.trim()));
                return now.plus(Duration.between(serverNow, at).isNegative() ? Duration.ZERO
                        : Duration.between(serverNow, at));
            } catch (NumberFormatException ignored) {
                // fall through
            }
        }
        return now.plusSeconds(60);
    }

    /** An answer github-api could not make sense of (a proxy's error page, a truncated body): may pass. */
    private RemoteReadException unexpected(RuntimeException e, String doing) {
        return new RemoteReadException(RemoteReadException.Kind.UNREACHABLE, "unexpected answer from " + apiUrl
                + " while " + doing + ": " + e, e);
    }

    /** Sorts what github-api threw into what a retry can fix. */
    public RemoteReadException classify(IOException e, String doing) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RateLimited r) {
                return new RemoteReadException(RemoteReadException.Kind.RATE_LIMITED, apiUrl + " " + r.getMessage()
                        + " while " + doing, r.retryAt, e);
            }
        }
        if (e instanceof HttpException h) {
            int code = h.getResponseCode();
            if (code == 401) {
                return new RemoteReadException(RemoteReadException.Kind.AUTH_FAILED, apiUrl + " answered HTTP 401 "
                        + "while " + doing + (token == null ? " (no token given)" : " (bad or expired token)"), e);
            }
            if (code == 403) {
                return new RemoteReadException(RemoteReadException.Kind.AUTH_FAILED, apiUrl + " answered HTTP 403 "
                        + "while " + doing + ": the token lacks access to " + repositoryName, e);
            }
            if (code >= 500 || code == 429) {
                return new RemoteReadException(RemoteReadException.Kind.UNREACHABLE, apiUrl + " answered HTTP " + code
                        + " while " + doing, e);
            }
            if (code > 0) {
                return new RemoteReadException(RemoteReadException.Kind.UNREACHABLE, apiUrl + " answered HTTP " + code
                        + " while " + doing, e);
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedIOException) {
                return new RemoteReadException(RemoteReadException.Kind.TIMED_OUT, apiUrl + " did not answer in time"
                        + " while " + doing, e);
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof SocketException) {
                return new RemoteReadException(RemoteReadException.Kind.UNREACHABLE, "cannot reach " + apiUrl + " ("
                        + t.getClass().getSimpleName() + ": " + t.getMessage() + ") while " + doing, e);
            }
        }
        return new RemoteReadException(RemoteReadException.Kind.UNREACHABLE, "cannot read " + apiUrl + " while "
                + doing + ": " + e.getMessage(), e);
    }

    /** Thrown from inside github-api's handlers, found again in the cause chain of whatever it wraps it in. */
    private static final class RateLimited extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient Instant retryAt;

        RateLimited(String message, Instant retryAt) {
            super(message);
            this.retryAt = retryAt;
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String kind() {
        return "github";
    }

    @Override
    public String describe() {
        return "github " + repositoryName + (DEFAULT_API_URL.equals(apiUrl) ? "" : " at " + apiUrl);
    }

    @Override
    public void close() {
        // OkHttp's pools are daemon threads; nothing must be closed for the process to end
    }
}
