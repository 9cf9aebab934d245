package dev.gatekeeper.drift;

import java.nio.file.Path;
import java.util.Map;

/**
 * The short target forms every packaging accepts besides a drift.yaml ({@code DIR[@BRANCH]},
 * {@code OWNER/REPO[@BRANCH]}, {@code I/N}) and where the scan state lives by default. In core so the CLI
 * options, the Jenkins step's lists and the GitHub Action's inputs mean the same thing.
 */
public final class TargetSpecs {
    private TargetSpecs() {}

    /** {@code DIR[@BRANCH]}; a relative DIR resolves against {@code base} (the working folder, the workspace). */
    public static Target checkout(String spec, Path base) {
        String[] dirBranch = splitAt(spec);
        return Target.checkout(base.resolve(dirBranch[0]).toAbsolutePath().normalize().toString(), dirBranch[1],
                null);
    }

    /**
     * {@code DIR[@BRANCH]} as {@code {DIR, BRANCH or null}}: the short checkout form read into its parts, for a
     * packaging that keeps them apart (the Jenkins step's structured checkouts).
     */
    public static String[] checkoutParts(String spec) {
        return splitAt(spec);
    }

    /** {@code OWNER/REPO[@BRANCH]} as {@code {OWNER/REPO, BRANCH or null}}, checked as {@link #github} does. */
    public static String[] githubParts(String spec) {
        String[] repoBranch = splitAt(spec);
        github(repoBranch[0]);
        return repoBranch;
    }

    /** A bare repository folder; a relative one resolves against {@code base}. */
    public static Target bare(String dir, Path base) {
        return Target.bare(base.resolve(nonBlank(dir)).toAbsolutePath().normalize().toString(), Map.of());
    }

    /** {@code OWNER/REPO[@BRANCH]} with the default protection baseline. */
    public static Target github(String spec) {
        String[] repoBranch = splitAt(spec);
        if (!repoBranch[0].matches("[^/\\s]+/[^/\\s]+")) {
            throw new IllegalArgumentException("a GitHub target is OWNER/REPO[@BRANCH], not '" + spec + "'");
        }
        return Target.github(repoBranch[0], repoBranch[1], null);
    }

    /** {@code I/N} (1-based) as {I, N}. */
    public static int[] shard(String text) {
        String[] in = text == null ? new String[0] : text.trim().split("/");
        try {
            int i = Integer.parseInt(in[0]);
            int n = Integer.parseInt(in[1]);
            if (in.length == 2 && n >= 1 && i >= 1 && i <= n) {
                return new int[] {i, n};
            }
        } catch (RuntimeException e) {
            // falls through to the one message below
        }
        throw new IllegalArgumentException("I/N with 1 <= I <= N, e.g. 1/4");
    }

    /** {@code $XDG_STATE_HOME/gatekeeper/drift-state.json}, else {@code ~/.local/state/gatekeeper/…}. */
    public static Path defaultStateFile(Map<String, String> env) {
        String xdg = env.get("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".local", "state");
        return base.resolve("gatekeeper").resolve("drift-state.json");
    }

    /** {@code X@Y} → {X, Y}; without '@' (or with it first) {X, null}. */
    private static String[] splitAt(String spec) {
        String s = nonBlank(spec).trim();
        int at = s.lastIndexOf('@');
        return at <= 0 ? new String[] {s, null} : new String[] {s.substring(0, at), s.substring(at + 1)};
    }

    private static String nonBlank(String s) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("an empty drift target");
        }
        return s;
    }
}
