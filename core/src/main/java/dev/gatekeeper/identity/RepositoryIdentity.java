package dev.gatekeeper.identity;

import dev.gatekeeper.policy.PolicyLocator;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The name a repository answers to when a token names it. Tokens are bound to it, so it must be unique on the
 * server (a token for {@code team1/app} must never move {@code team2/app}, even under one secret) and stable when
 * the folder moves (GitLab's hashed storage names folders by a hash).
 *
 * <p>On the server, first found wins:
 * <ol>
 *   <li>GitLab's {@code GL_PROJECT_PATH} ({@code group/subgroup/project}), which Gitaly gives every hook;</li>
 *   <li>Gitea's and Forgejo's {@code GITEA_REPO_USER_NAME}/{@code GITEA_REPO_NAME} ({@code owner/name});</li>
 *   <li>the id {@code gatekeeper hooks install} recorded in {@code $GIT_DIR/gatekeeper/repository-id}: the path
 *       below the {@code --all} root without {@code .git} ({@code team1/app}), or for a single repository
 *       {@code --repository-id}, else the policy's {@code repository:}, else the folder name;</li>
 *   <li>the policy's {@code repository:}, only when the policy is the repository's own file (a server-wide policy
 *       that names one repository would make every repository that one);</li>
 *   <li>the folder name without {@code .git}.</li>
 * </ol>
 * Whatever the id, the repository's absolute path without the leading {@code /} and the {@code .git} suffix is a
 * second name for it ({@link #aliases()}): unique on the server by definition, and what a client derives from an
 * ssh or file URL that names the path ({@code ssh://host/srv/git/app.git} is {@code srv/git/app}).
 *
 * <p>On the client, {@link #fromRemoteUrl(String)} derives the default from the remote the push goes to: the
 * path of the URL, which is {@code owner/name} for GitHub, GitLab and Gitea URLs and {@code team1/app} for a
 * {@code git daemon} or ssh URL relative to the server's root. Every packaging (token mint, the Jenkins step,
 * stabilize and the action through it) uses that one function.
 *
 * @param id      what tokens name
 * @param aliases other names accepted for the same repository
 * @param source  where {@code id} came from, for messages
 */
public record RepositoryIdentity(String id, List<String> aliases, String source) {
    public static final String GITLAB_PROJECT_PATH = "GL_PROJECT_PATH";
    public static final String GITEA_OWNER = "GITEA_REPO_USER_NAME";
    public static final String GITEA_NAME = "GITEA_REPO_NAME";
    /** Long enough for any forge path; a longer "name" is garbage, not an identity. */
    static final int MAX_LENGTH = 512;
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://");
    private static final Pattern SCP_LIKE = Pattern.compile("^(?:[^@/]+@)?[^/:]+:(?!//)(.*)$");

    public RepositoryIdentity {
        aliases = List.copyOf(aliases);
    }

    /** An identity by name alone (tests, tools that know it). */
    public static RepositoryIdentity named(String id) {
        return new RepositoryIdentity(id, List.of(), "given");
    }

    /** Whether a token naming {@code name} names this repository. */
    public boolean accepts(String name) {
        return name != null && (name.equals(id) || aliases.contains(name));
    }

    /** One line for a refusal: which identity this repository expects, from where, and how to set it. */
    public String explain() {
        StringBuilder s = new StringBuilder("this repository is '").append(id).append("' (from ").append(source)
                .append(')');
        if (!aliases.isEmpty()) {
            s.append(", also known as '").append(String.join("', '", aliases)).append('\'');
        }
        s.append(": mint its tokens with --repo ").append(id);
        if (!source.startsWith("GitLab") && !source.startsWith("Gitea")) {
            s.append("; an admin sets another id with gatekeeper hooks install --repository-id ID");
        }
        return s.toString();
    }

    /**
     * The identity of the repository at {@code gitDir} as the gate sees it.
     *
     * @param policyRepository the policy's {@code repository:} key, if any
     * @param policySource     the policy file it came from (only the repository's own counts), or null
     */
    public static RepositoryIdentity ofServer(Path gitDir, Map<String, String> env, Optional<String> policyRepository,
                                              Path policySource) {
        List<String> aliases = new ArrayList<>();
        String path = absoluteName(gitDir);
        String gitlab = nonBlank(env.get(GITLAB_PROJECT_PATH));
        if (gitlab != null) {
            return withAlias(gitlab, path, "GitLab's " + GITLAB_PROJECT_PATH, aliases);
        }
        String owner = nonBlank(env.get(GITEA_OWNER));
        String name = nonBlank(env.get(GITEA_NAME));
        if (owner != null && name != null) {
            return withAlias(owner + "/" + name, path, "Gitea's " + GITEA_OWNER + "/" + GITEA_NAME, aliases);
        }
        Optional<String> recorded = RecordedRepositoryId.read(gitDir);
        if (recorded.isPresent()) {
            return withAlias(recorded.get(), path, "the id recorded at install in "
                    + RecordedRepositoryId.file(gitDir), aliases);
        }
        if (policyRepository.isPresent() && policySource != null && isOwnPolicy(gitDir, policySource)) {
            return withAlias(policyRepository.get(), path, "repository: in " + policySource, aliases);
        }
        return withAlias(folderName(gitDir), path, "the folder name", aliases);
    }

    private static RepositoryIdentity withAlias(String id, String path, String source, List<String> aliases) {
        if (path != null && !path.equals(id)) {
            aliases.add(path);
        }
        return new RepositoryIdentity(id, aliases, source);
    }

    private static boolean isOwnPolicy(Path gitDir, Path policySource) {
        Path own = PolicyLocator.repoDir(gitDir).resolve(PolicyLocator.POLICY_FILE).toAbsolutePath().normalize();
        return own.equals(policySource.toAbsolutePath().normalize());
    }

    /** {@code app} for {@code /srv/git/app.git} and for {@code /home/me/app/.git}. */
    public static String folderName(Path gitDir) {
        Path abs = gitDir.toAbsolutePath().normalize();
        String name = abs.getFileName() == null ? "repository" : abs.getFileName().toString();
        if (name.equals(".git") && abs.getParent() != null && abs.getParent().getFileName() != null) {
            name = abs.getParent().getFileName().toString();
        }
        return stripGit(name);
    }

    /** {@code srv/git/app} for {@code /srv/git/app.git}: the repository's absolute path as a name. */
    public static String absoluteName(Path gitDir) {
        String p = gitDir.toAbsolutePath().normalize().toString().replace('\\', '/');
        return cleanPath(p);
    }

    /**
     * The repository a remote URL names, as the server's {@link #ofServer identity} would: the URL's path without
     * leading {@code /}, trailing {@code /} and {@code .git}. {@code https://github.com/acme/app.git} and
     * {@code git@github.com:acme/app.git} are {@code acme/app}; {@code git://host/team1/app.git} is
     * {@code team1/app}; {@code ssh://host/srv/git/app.git} and {@code /srv/git/app.git} are {@code srv/git/app}.
     *
     * @return empty when the URL names no path
     */
    public static Optional<String> fromRemoteUrl(String url) {
        String u = nonBlank(url);
        if (u == null) {
            return Optional.empty();
        }
        u = u.strip();
        String path;
        if (SCHEME.matcher(u).find()) {
            path = uriPath(u);
        } else {
            java.util.regex.Matcher scp = SCP_LIKE.matcher(u);
            // scp-like "host:path" has no slash before the colon; "C:\x" and "./a:b" are local paths
            path = scp.matches() && !u.startsWith("/") && !u.startsWith(".") && u.indexOf(':') > 1 ? scp.group(1) : u;
        }
        String name = cleanPath(path.replace('\\', '/'));
        return Optional.ofNullable(name == null || name.isEmpty() ? null : name);
    }

    /**
     * The default repository name for pushes from a clone to {@code remote}: {@link #fromRemoteUrl} of the remote's
     * push URL ({@code remote.NAME.pushurl}, else {@code remote.NAME.url}); {@code remote} may itself be a URL.
     *
     * @return empty when the remote is not configured or its URL names no path
     */
    public static Optional<String> ofClone(org.eclipse.jgit.lib.Repository clone, String remote) {
        String name = remote == null || remote.isBlank() ? "origin" : remote;
        org.eclipse.jgit.lib.StoredConfig cfg = clone.getConfig();
        String url = cfg.getString("remote", name, "pushurl");
        if (url == null) {
            url = cfg.getString("remote", name, "url");
        }
        if (url == null && (name.contains("/") || name.contains(":"))) {
            url = name;
        }
        return fromRemoteUrl(url);
    }

    private static String uriPath(String url) {
        try {
            String p = new URI(url).getPath();
            if (p != null) {
                return p;
            }
        } catch (URISyntaxException e) {
            // not a strict URI (an unescaped space, say): take what follows the authority
        }
        String rest = url.substring(url.indexOf("://") + 3);
        int slash = rest.indexOf('/');
        return slash < 0 ? "" : rest.substring(slash);
    }

    private static String cleanPath(String p) {
        String s = p;
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.endsWith("/.git")) {
            s = s.substring(0, s.length() - 5);
        }
        s = stripGit(s);
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        return s.isEmpty() ? null : s;
    }

    private static String stripGit(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".git") && name.length() > 4
                ? name.substring(0, name.length() - 4) : name;
    }

    /** Null when it is no usable identity: empty, control characters, or longer than {@link #MAX_LENGTH}. */
    static String valid(String id) {
        String s = nonBlank(id);
        if (s == null) {
            return null;
        }
        s = s.strip();
        if (s.length() > MAX_LENGTH) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return null;
            }
        }
        return s;
    }

    private static String nonBlank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
