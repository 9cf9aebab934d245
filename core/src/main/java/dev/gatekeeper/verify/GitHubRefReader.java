package dev.gatekeeper.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekeeper.github.Fields;
import dev.gatekeeper.github.GitHubApi;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The GitHub REST API ({@link GitHubApi}): {@code GET /repos/{owner}/{repo}} once, then
 * {@code GET /repos/{owner}/{repo}/git/refs/heads/{branch}} per read, and {@code compare/{commit}...{tip}} for
 * {@code --contains}. Works with GitHub Enterprise Server through its API base URL.
 *
 * <p>Only an authoritative answer is a verdict. "No such branch" is a 404 for the ref, GitHub's 409 "Git
 * Repository is empty.", or a well-formed list of other refs (GitHub answers {@code refs/heads/main} with the refs
 * that start with it, {@code main-old}, {@code main2}, when {@code main} itself is missing). Anything else that is
 * not the ref object GitHub sends (a cut or empty body, {@code []}, an {@code object} that is a string, a sha that
 * is not one, another ref) is {@link RemoteReadException.Kind#BAD_ANSWER}: retried, and "inconclusive" if it
 * lasts. Rate limits are not waited out here ({@link RemoteReadException#retryAt}): verify-push decides whether
 * they end within its deadline.
 */
public final class GitHubRefReader implements RefReader {
    public static final String DEFAULT_API_URL = GitHubApi.DEFAULT_API_URL;
    private static final String OBJECT_ID = "[0-9a-f]{40}|[0-9a-f]{64}";
    private static final Set<String> COMPARE_STATUSES = Set.of("ahead", "behind", "identical", "diverged");

    private final GitHubApi api;
    private final String repositoryName;
    private volatile boolean repositorySeen;

    /**
     * @param repositoryName {@code OWNER/REPO}
     * @param token          a token (classic, fine-grained or an app installation token), or null for anonymous
     * @param timeout        the longest one HTTP call may take
     */
    public GitHubRefReader(String apiUrl, String repositoryName, String token, Duration timeout) {
        this.api = new GitHubApi(apiUrl, token, timeout);
        this.repositoryName = repositoryName;
    }

    @Override
    public Optional<String> tip(String ref) throws RemoteReadException {
        repository();
        String doing = "reading " + ref;
        String name = ref.startsWith("refs/") ? ref.substring("refs/".length()) : ref;
        GitHubApi.Answer a = api.get("repos/" + repositoryName + "/git/refs/" + name, doing);
        switch (a.status()) {
            case 200:
                return a.read(doing, body -> tipIn(body, "refs/" + name));
            case 404:
                return Optional.empty(); // the repository was there a moment ago: it is the ref that is missing
            case 409:
                if (a.message().contains("Git Repository is empty")) {
                    return Optional.empty(); // no commits, so no branch
                }
                throw a.unexpected(doing);
            default:
                throw a.unexpected(doing);
        }
    }

    /** The tip in GitHub's answer for {@code ref}: one ref object, or the list of refs that start with the name. */
    static Optional<String> tipIn(JsonNode body, String ref) {
        if (body.isObject()) {
            String named = refName(body);
            if (!named.equals(ref)) {
                throw new Fields.WrongShape("it is the ref '" + named + "', not " + ref);
            }
            return Optional.of(sha(body));
        }
        if (body.isArray()) {
            if (body.isEmpty()) {
                throw new Fields.WrongShape("an empty list, where GitHub answers the ref or 404");
            }
            Optional<String> found = Optional.empty();
            for (JsonNode r : body) {
                Fields.asObject(r, "an item of the list");
                String named = refName(r);
                if (!named.startsWith(ref)) {
                    throw new Fields.WrongShape("the list holds '" + named + "', which does not start with " + ref);
                }
                String sha = sha(r);
                if (named.equals(ref)) {
                    found = Optional.of(sha);
                }
            }
            return found; // a well-formed list of other refs: this one does not exist
        }
        throw new Fields.WrongShape("the body is " + Fields.describe(body) + ", not a ref");
    }

    /** The full ref name (GitBucket leaves out "refs/"). */
    private static String refName(JsonNode r) {
        String named = Fields.text(r, "ref");
        return named.startsWith("refs/") ? named : "refs/" + named;
    }

    private static String sha(JsonNode r) {
        JsonNode object = Fields.object(r, "object");
        Fields.optionalText(object, "type");
        if (object.has("type") && object.get("type").isNull()) {
            throw new Fields.WrongShape("'type' is null, not a string");
        }
        return Fields.text(object, "sha", OBJECT_ID, "an object id");
    }

    @Override
    public boolean contains(String tip, String commit) throws RemoteReadException {
        repository();
        String doing = "comparing " + commit + " with " + tip;
        GitHubApi.Answer a = api.get("repos/" + repositoryName + "/compare/" + commit + "..." + tip, doing);
        if (a.status() == 404) {
            return false; // GitHub does not know the commit at all
        }
        if (a.status() != 200) {
            throw a.unexpected(doing);
        }
        String status = a.read(doing, body -> {
            Fields.asObject(body, "the comparison");
            String s = Fields.text(body, "status");
            if (!COMPARE_STATUSES.contains(s)) {
                throw new Fields.WrongShape("'status' is '" + s + "', not one of " + COMPARE_STATUSES);
            }
            return s;
        });
        // "ahead": the tip is ahead of the commit, so the commit is in its history
        return status.equals("ahead") || status.equals("identical");
    }

    /** Reads the repository once: a 404 there is "no repository", never a missing branch. */
    private void repository() throws RemoteReadException {
        if (!repositorySeen) {
            api.repository(repositoryName);
            repositorySeen = true;
        }
    }

    @Override
    public String kind() {
        return "github";
    }

    @Override
    public String describe() {
        return "github " + repositoryName + (DEFAULT_API_URL.equals(api.apiUrl()) ? "" : " at " + api.apiUrl());
    }

    @Override
    public void close() {
        // OkHttp's pools are daemon threads; nothing must be closed for the process to end
    }
}
