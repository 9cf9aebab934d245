package dev.gatekeeper.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

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

    /** {@link #detect(Path, Path)} with git's default hooks folder. */
    public static HookLayout detect(Path gitDir) {
        return detect(gitDir, gitDir.resolve("hooks"));
    }

    /**
     * Gitea if the hook git runs ({@code hooksDir/pre-receive}) is Gitea's dispatcher or {@code hooks/pre-receive.d}
     * exists; GitLab if the repository shows Gitaly's marks ({@code gitlab.fullpath} in its config, hashed storage)
     * or has {@code custom_hooks}; else plain git.
     *
     * @param hooksDir where git runs this repository's hooks ({@link GitHooksDir}), honouring core.hooksPath
     */
    public static HookLayout detect(Path gitDir, Path hooksDir) {
        if (isDispatcher(hooksDir.resolve("pre-receive"))
                || Files.isDirectory(gitDir.resolve("hooks").resolve("pre-receive.d"))) {
            return GITEA;
        }
        if (gitLabMark(gitDir).isPresent() || Files.isDirectory(gitDir.resolve("custom_hooks"))) {
            return GITLAB;
        }
        return PLAIN;
    }

    /**
     * Why nothing would run a hook installed with this layout, or empty when something will: for GITEA, the
     * dispatcher git runs ({@code hooksDir/pre-receive}, which Gitea and Forgejo generate to run every executable
     * in {@code $GIT_DIR/hooks/pre-receive.d/}); for GITLAB, a sign that Gitaly serves the repository (it runs
     * {@code custom_hooks/} itself, from its own hooks path). Plain git needs no dispatcher.
     */
    public Optional<String> dispatcherProblem(Path gitDir, Path hooksDir) {
        switch (this) {
            case GITEA: {
                Path dispatcher = hooksDir.resolve("pre-receive");
                String why;
                if (!Files.exists(dispatcher)) {
                    why = "there is no " + dispatcher;
                } else if (!Files.isRegularFile(dispatcher) || !Files.isExecutable(dispatcher)) {
                    why = dispatcher + " is not an executable file";
                } else if (!isDispatcher(dispatcher)) {
                    why = dispatcher + " does not run pre-receive.d/* (it is not Gitea's or Forgejo's dispatcher)";
                } else {
                    return Optional.empty();
                }
                return Optional.of("layout GITEA needs Gitea's or Forgejo's dispatcher, but " + why + ": git runs "
                        + dispatcher + " only, so " + hookPath(gitDir, "pre-receive") + " would never run"
                        + " (Gitea regenerates its hooks with 'gitea admin regenerate hooks'; use --layout PLAIN for"
                        + " a repository Gitea does not serve)");
            }
            case GITLAB:
                if (gitLabMark(gitDir).isPresent()) {
                    return Optional.empty();
                }
                return Optional.of("layout GITLAB needs GitLab's Gitaly to run custom_hooks/, but nothing marks "
                        + gitDir + " as a Gitaly repository (no gitlab.fullpath in its config, not under @hashed/):"
                        + " plain git never runs custom_hooks/ (use --layout PLAIN for a repository GitLab does not"
                        + " serve, or --gitaly-tarball for 'gitaly hooks set')");
            default:
                return Optional.empty();
        }
    }

    /** Whether {@code hook} is a dispatcher that runs every hook in a {@code .d} folder (Gitea's, Forgejo's). */
    static boolean isDispatcher(Path hook) {
        if (!Files.isRegularFile(hook) || !Files.isExecutable(hook)) {
            return false;
        }
        try {
            byte[] head = Files.readAllBytes(hook);
            String text = new String(head, 0, Math.min(head.length, 16384), StandardCharsets.UTF_8);
            return text.contains("${hookname}.d/") || text.contains("$hookname.d/")
                    || text.contains("pre-receive.d/");
        } catch (IOException e) {
            return false;
        }
    }

    /** What says Gitaly serves this repository: its {@code gitlab.fullpath}, or a hashed-storage path. */
    static Optional<String> gitLabMark(Path gitDir) {
        try {
            String full = RepoConfig.get(gitDir, "gitlab.fullpath");
            if (full != null && !full.isBlank()) {
                return Optional.of("gitlab.fullpath = " + full);
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable config is no sign either way
        }
        for (Path part : gitDir.toAbsolutePath().normalize()) {
            if (part.toString().equals("@hashed") || part.toString().equals("@cluster")) {
                return Optional.of("stored under " + part + "/");
            }
        }
        return Optional.empty();
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
