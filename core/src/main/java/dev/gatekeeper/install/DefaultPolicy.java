package dev.gatekeeper.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The policy {@code hooks install} writes when none is given and none is found: it protects the repository's default
 * branch (what {@code HEAD} names) and release tags ({@code refs/tags/v*}) and leaves every other ref open. Without
 * it the gate would find no policy and, failing closed, refuse every push to every ref: a repository nobody can push
 * to is the outage the gate exists to prevent. {@code hooks install --no-policy} asks for that state explicitly.
 */
public final class DefaultPolicy {
    /** Where HEAD points when it names no branch (a detached HEAD in a bare repository is rare). */
    static final String FALLBACK_BRANCH = "refs/heads/main";
    public static final String RELEASE_TAGS = "refs/tags/v*";

    private DefaultPolicy() {}

    /** The branch {@code HEAD} names ({@code refs/heads/main}), or {@link #FALLBACK_BRANCH}. */
    public static String defaultBranch(Path gitDir) {
        try {
            String head = Files.readString(gitDir.resolve("HEAD"), StandardCharsets.UTF_8).strip();
            if (head.startsWith("ref: refs/heads/")) {
                return head.substring(5).strip();
            }
        } catch (IOException e) {
            // fall through
        }
        return FALLBACK_BRANCH;
    }

    /** The policy text for a repository whose default branch is {@code branchRef}. */
    public static String render(String branchRef) {
        String branch = branchRef.substring(branchRef.lastIndexOf('/') + 1);
        return String.join("\n",
                "# Gatekeeper's default policy, written by 'gatekeeper hooks install' because no policy was given or",
                "# found. It protects the default branch and release tags; every other ref stays open. Edit it, check",
                "# it with 'gatekeeper policy check FILE', and see policies/example.policy.yaml for every key.",
                "version: 1",
                "protected:",
                "  - ref: " + branchRef,
                "    howToLand: \"Open a pull request; the pipeline merges it and pushes " + branch + ".\"",
                "  - ref: " + RELEASE_TAGS,
                "    howToLand: \"Release tags are made by the release pipeline.\"",
                "alert:",
                "  on: [break-glass, policy-error]",
                "");
    }
}
