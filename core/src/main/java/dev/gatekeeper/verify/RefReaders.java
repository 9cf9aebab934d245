package dev.gatekeeper.verify;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * Opens the reader a {@link RemoteLocator.Target} calls for, with its token. The tokens are values; where they
 * come from is the packaging's to say ({@link #githubToken}, {@link #gitToken}: the CLI's {@code --token-file} or
 * the environment, never the command line, which shows in {@code ps} and shell history).
 */
public final class RefReaders {
    public static final String ENV_GIT_TOKEN = "GATEKEEPER_GIT_TOKEN";
    public static final String ENV_GITHUB_TOKEN = "GITHUB_TOKEN";

    private RefReaders() {}

    /**
     * @param clone the working clone, or null
     * @param githubToken the GitHub API token, or null
     * @param gitToken the smart-HTTP token, or null
     */
    public static RefReader open(RemoteLocator.Target target, WorkingClone clone, String githubToken,
            String gitToken, String gitHubApiUrl, Duration timeout, Map<String, String> env)
            throws GatekeeperException {
        if (target.local()) {
            return new LocalRefReader(target.localGitDir(), target.display());
        }
        if (target.via() == RemoteLocator.Via.GITHUB) {
            return new GitHubRefReader(gitHubApiUrl, target.gitHubRepo(), githubToken, timeout);
        }
        URIish uri = target.uri();
        CredentialsProvider credentials = null;
        String scheme = uri.getScheme();
        if ("http".equals(scheme) || "https".equals(scheme)) {
            String token = gitToken;
            if (token != null) {
                // GitHub, GitLab and Gitea take any user name with a token as the password
                String user = uri.getUser() != null ? uri.getUser() : "x-access-token";
                credentials = new UsernamePasswordCredentialsProvider(user, token);
            }
        }
        int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (timeout.toMillis() + 999) / 1000));
        return new GitTransportRefReader(clone == null ? null : clone.repository(), uri, credentials, seconds,
                target.display(), env);
    }

    /** The GitHub API token: {@code file}'s, else {@code $GITHUB_TOKEN}, else {@code $GH_TOKEN}; null when none. */
    public static String githubToken(Path file, Map<String, String> env) throws GatekeeperException {
        return token(file, env, ENV_GITHUB_TOKEN, "GH_TOKEN");
    }

    /** The smart-HTTP token: {@code file}'s, else {@code $GATEKEEPER_GIT_TOKEN}; null when none. */
    public static String gitToken(Path file, Map<String, String> env) throws GatekeeperException {
        return token(file, env, ENV_GIT_TOKEN, null);
    }

    static String token(Path file, Map<String, String> env, String var, String fallbackVar) throws GatekeeperException {
        if (file != null) {
            try {
                String t = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (t.isEmpty()) {
                    throw new GatekeeperException(ExitCode.USAGE, "the token file " + file + " is empty");
                }
                return t;
            } catch (IOException e) {
                throw new GatekeeperException(ExitCode.USAGE, "cannot read the token file " + file + ": "
                        + e.getMessage());
            }
        }
        for (String v : new String[] {var, fallbackVar}) {
            if (v != null && env.get(v) != null && !env.get(v).isBlank()) {
                return env.get(v).trim();
            }
        }
        return null;
    }
}
