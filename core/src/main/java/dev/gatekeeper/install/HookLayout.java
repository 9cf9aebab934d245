package dev.gatekeeper.install;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a server hook goes. Plain git runs exactly one {@code hooks/pre-receive}, so an existing one is chained
 * behind ours; GitLab (Gitaly) and Gitea own {@code hooks/} and run every executable in a {@code .d} folder, so
 * there ours is one more file beside the others and nothing needs chaining.
 */
public enum HookLayout {
    /** Chosen per repository by {@link #detect(Path)}. */
    AUTO,
    /** {@code hooks/pre-receive}. */
    PLAIN,
    /** {@code custom_hooks/pre-receive.d/gatekeeper}: GitLab's server hooks. */
    GITLAB,
    /** {@code hooks/pre-receive.d/gatekeeper}: Gitea's and Forgejo's per-repository hook folder. */
    GITEA;

    /** The file name used inside a {@code .d} folder. */
    public static final String DROP_IN_NAME = "gatekeeper";

    /** Gitea if {@code hooks/pre-receive.d} exists, GitLab if {@code custom_hooks} does, else plain git. */
    public static HookLayout detect(Path gitDir) {
        if (Files.isDirectory(gitDir.resolve("hooks").resolve("pre-receive.d"))) {
            return GITEA;
        }
        if (Files.isDirectory(gitDir.resolve("custom_hooks"))) {
            return GITLAB;
        }
        return PLAIN;
    }

    /** This layout, or the detected one for AUTO. */
    public HookLayout resolve(Path gitDir) {
        return this == AUTO ? detect(gitDir) : this;
    }

    /** Where the hook named {@code hook} ("pre-receive") goes in {@code gitDir}. */
    public Path hookPath(Path gitDir, String hook) {
        switch (this) {
            case PLAIN:
                return gitDir.resolve("hooks").resolve(hook);
            case GITLAB:
                return gitDir.resolve("custom_hooks").resolve(hook + ".d").resolve(DROP_IN_NAME);
            case GITEA:
                return gitDir.resolve("hooks").resolve(hook + ".d").resolve(DROP_IN_NAME);
            default:
                throw new IllegalStateException("resolve AUTO against a repository first");
        }
    }

    /** Whether ours replaces git's single hook file (and so must chain one already there). */
    public boolean replacesHook() {
        return this == PLAIN;
    }
}
