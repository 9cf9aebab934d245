package dev.gatekeeper.verify;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.install.GitRepositories;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jgit.lib.BranchConfig;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.transport.RemoteConfig;
import org.eclipse.jgit.transport.URIish;

/**
 * Works out which remote and which branch to check, the way git would for a push from the working clone:
 * {@code --remote} (a remote name or a URL; default the branch's upstream remote, else {@code origin}),
 * {@code --branch} (default the upstream branch, else the branch of the same name) and how to read it.
 */
public final class RemoteLocator {
    /** How to read the remote. AUTO: the file system for local paths, the REST API for GitHub, else git. */
    public enum Via { AUTO, GIT, GITHUB }

    /**
     * What to read.
     *
     * @param via        GIT or GITHUB, or AUTO meaning "local path, read the ref directly"
     * @param display    the remote for people: its name and URL, never with credentials
     * @param uri        for GIT
     * @param localGitDir for a local remote
     * @param gitHubRepo {@code OWNER/REPO} for GITHUB
     * @param ref        full ref name
     */
    public record Target(Via via, String display, URIish uri, Path localGitDir, String gitHubRepo, String ref) {
        public boolean local() {
            return localGitDir != null;
        }
    }

    private WorkingClone clone;
    private Path workDir = Path.of(".");
    private String remote;
    private String branch;
    private String gitHub;
    private String gitHubApiUrl;
    private Via via = Via.AUTO;

    public RemoteLocator setClone(WorkingClone v) { this.clone = v; return this; }
    public RemoteLocator setWorkDir(Path v) { this.workDir = v; return this; }
    public RemoteLocator setRemote(String v) { this.remote = v; return this; }
    public RemoteLocator setBranch(String v) { this.branch = v; return this; }
    public RemoteLocator setGitHub(String v) { this.gitHub = v; return this; }
    public RemoteLocator setGitHubApiUrl(String v) { this.gitHubApiUrl = v; return this; }
    public RemoteLocator setVia(Via v) { this.via = v; return this; }

    public Target call() throws GatekeeperException {
        Config config = clone == null ? new Config() : clone.repository().getConfig();
        Optional<String> current = clone == null ? Optional.empty() : clone.currentBranch();
        BranchConfig upstream = current.map(b -> new BranchConfig(config, b)).orElse(null);
        String ref = ref(current, upstream);
        if (gitHub != null) {
            if (!gitHub.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
                throw usage("--github takes OWNER/REPO, e.g. octo-org/app");
            }
            if (via == Via.GIT) {
                throw usage("--github reads through the GitHub API; leave out --via git or pass --remote instead");
            }
            return new Target(Via.GITHUB, "github " + gitHub, null, null, gitHub, ref);
        }
        String name = remote;
        if (name == null) {
            String up = upstream == null ? null : upstream.getRemote();
            name = up != null && !up.equals(".") ? up : Constants.DEFAULT_REMOTE_NAME;
        }
        URIish uri;
        String display;
        if (config.getSubsections("remote").contains(name)) {
            uri = uriOf(config, name);
            display = name + " (" + safe(uri) + ")";
        } else if (remote == null && clone != null) {
            throw usage("the working clone has no remote '" + name + "'; pass --remote NAME or URL");
        } else if (clone == null && remote == null) {
            throw usage("not in a git working clone: pass --remote URL (or --github OWNER/REPO) and --branch");
        } else if (clone != null && name.matches("[A-Za-z0-9_.-]+") && !Files.exists(clone.workTreeOrGitDir()
                .resolve(name))) {
            // a bare word that is neither a remote nor a folder is a typo'd remote name, not an unreachable path
            throw usage("the working clone has no remote '" + name + "' (and there is no folder of that name)");
        } else {
            try {
                uri = new URIish(name);
            } catch (URISyntaxException e) {
                throw usage("--remote '" + name + "' is neither a remote of the working clone nor a URL");
            }
            display = safe(uri);
        }
        if (via != Via.GIT && isGitHub(uri)) {
            return new Target(Via.GITHUB, display, uri, null, ownerRepo(uri), ref);
        }
        if (via == Via.GITHUB) {
            throw usage("--via github needs a GitHub remote or --github OWNER/REPO");
        }
        Optional<Path> localDir = localPath(uri);
        if (via == Via.AUTO && localDir.isPresent()) {
            Path p = localDir.get();
            Path gitDir = GitRepositories.isGitDir(p) ? p : Files.isDirectory(p.resolve(".git")) ? p.resolve(".git") : p;
            return new Target(Via.AUTO, display, uri, gitDir, null, ref);
        }
        if (localDir.isPresent() && uri.getScheme() == null) {
            // JGit's transport wants an absolute location for a relative path, as git resolves it
            uri = new URIish().setPath(localDir.get().toString());
        }
        return new Target(Via.GIT, display, uri, null, null, ref);
    }

    private String ref(Optional<String> current, BranchConfig upstream) throws GatekeeperException {
        if (branch != null) {
            if (branch.isBlank()) {
                throw usage("--branch is empty");
            }
            return branch.startsWith(Constants.R_REFS) ? branch : Constants.R_HEADS + branch;
        }
        if (current.isEmpty()) {
            throw usage(clone == null ? "not in a git working clone: pass --branch"
                    : "HEAD is detached, so there is no branch to check: pass --branch");
        }
        String merge = upstream.getMerge();
        // no upstream: where "git push" with push.default=simple/current sends it, the branch of the same name
        return merge != null && merge.startsWith(Constants.R_REFS) ? merge : Constants.R_HEADS + current.get();
    }

    private static URIish uriOf(Config config, String name) throws GatekeeperException {
        try {
            RemoteConfig rc = new RemoteConfig(config, name);
            // pushes go to pushurl (or url rewritten by pushInsteadOf); that is where the claim says it went
            List<URIish> push = rc.getPushURIs();
            List<URIish> fetch = rc.getURIs();
            if (!push.isEmpty()) {
                return push.get(0);
            }
            if (!fetch.isEmpty()) {
                return fetch.get(0);
            }
            throw usage("remote '" + name + "' has no url");
        } catch (URISyntaxException e) {
            throw usage("remote '" + name + "' has a malformed url: " + e.getMessage());
        }
    }

    private Optional<Path> localPath(URIish uri) {
        String scheme = uri.getScheme();
        if ((scheme == null && uri.getHost() == null) || "file".equals(scheme)) {
            Path p = Path.of(uri.getPath());
            if (!p.isAbsolute()) {
                Path base = clone != null ? clone.workTreeOrGitDir() : workDir.toAbsolutePath();
                p = base.resolve(p);
            }
            return Optional.of(p.normalize());
        }
        return Optional.empty();
    }

    private boolean isGitHub(URIish uri) {
        String host = uri.getHost();
        if (host == null) {
            return false;
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.equals("github.com") || host.equals("www.github.com")) {
            return true;
        }
        if (gitHubApiUrl != null) {
            try {
                String apiHost = new URIish(gitHubApiUrl).getHost();
                return apiHost != null && (apiHost.equalsIgnoreCase(host) || apiHost.equalsIgnoreCase("api." + host));
            } catch (URISyntaxException e) {
                return false;
            }
        }
        return false;
    }

    private static String ownerRepo(URIish uri) throws GatekeeperException {
        String path = uri.getPath();
        path = path.startsWith("/") ? path.substring(1) : path;
        path = path.endsWith(".git") ? path.substring(0, path.length() - 4) : path;
        path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (!path.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
            throw usage("cannot tell OWNER/REPO from " + safe(uri) + "; pass --github OWNER/REPO or --via git");
        }
        return path;
    }

    /** The URL without user and password: tokens are often put there. */
    public static String safe(URIish uri) {
        return uri.setUser(null).setPass(null).toString();
    }

    private static GatekeeperException usage(String message) {
        return new GatekeeperException(ExitCode.USAGE, message);
    }
}
