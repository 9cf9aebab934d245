package dev.gatekeeper.drift;

import dev.gatekeeper.git.GitCli;
import dev.gatekeeper.install.GitHooksDir;
import dev.gatekeeper.install.Owner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How the scanner runs git in a repository that belongs to another user (the drift service runs as
 * {@code gatekeeper}; deployed checkouts and the server's bare repositories belong to {@code deploy} or {@code git}).
 *
 * <p>Git refuses such a repository ("detected dubious ownership") because its config can run commands: a
 * {@code core.fsmonitor} hook, a clean filter during {@code status}, hooks. {@code safe.directory} in the scanner's
 * global config would trust every listed path for every git the scanner ever runs, with all of that config. Instead
 * each git the scanner runs for a listed target gets, on its own command line only:
 * <ul>
 *   <li>{@code -c safe.directory=<that target>} (and its real path), so exactly the listed repository is opened;</li>
 *   <li>{@code core.fsmonitor=false}, {@code core.hooksPath=/dev/null}, an empty {@code credential.helper},
 *       {@code diff.external}, {@code core.askPass} and {@code core.sshCommand}, {@code protocol.allow=never},
 *       {@code gc.auto=0} and {@code maintenance.auto=false}: nothing the repository configures is run;</li>
 *   <li>for every filter driver its config names, empty {@code clean}, {@code smudge} and {@code process} commands
 *       (and {@code required=false}): {@code status} compares raw bytes instead of running the repository's filter;</li>
 *   <li>{@code diff.ignoreSubmodules=all} and {@code submodule.recurse=false}: a submodule's own config is never read
 *       into a command.</li>
 * </ul>
 * Command-line config is "protected" to git (like the global and system files): a repository's own config cannot
 * undo any of it. The price: a checkout whose files pass through a filter (Git LFS) may show as dirty when its index
 * is stale; scan such a checkout as its owner. A repository the scanner owns itself is scanned as before.
 */
final class ForeignRepository {
    static final List<String> NEUTRALISE = List.of(
            "core.fsmonitor=false",
            "core.hooksPath=/dev/null",
            "credential.helper=",
            "core.askPass=",
            "core.sshCommand=",
            "diff.external=",
            "protocol.allow=never",
            "gc.auto=0",
            "maintenance.auto=false",
            "diff.ignoreSubmodules=all",
            "submodule.recurse=false");

    private ForeignRepository() {}

    /** Whether {@code location} belongs to another user than the one scanning. */
    static boolean foreign(Path location) {
        try {
            return !Owner.of(location).isCurrentUser();
        } catch (IOException e) {
            return false; // gone or unreadable: git will say so itself
        }
    }

    /** {@code git} for scanning {@code location}: unchanged when the scanner owns it, else hardened as above. */
    static GitCli gitFor(GitCli git, Path location) throws IOException, InterruptedException {
        if (!foreign(location)) {
            return git;
        }
        List<String> opts = new ArrayList<>(GitHooksDir.safeDirectory(location));
        for (String c : NEUTRALISE) {
            opts.add("-c");
            opts.add(c);
        }
        GitCli trusted = git.withOptions(opts);
        for (String driver : filterDrivers(trusted, location)) {
            if (driver.contains("=") || driver.isBlank()) {
                throw new IOException("the filter driver '" + driver + "' in " + location + "'s config cannot be"
                        + " switched off on a command line; scan it as its owner");
            }
            for (String key : List.of("clean=", "smudge=", "process=", "required=false")) {
                opts.add("-c");
                opts.add("filter." + driver + "." + key);
            }
        }
        return git.withOptions(opts);
    }

    /** The filter drivers named in any config git reads for this repository (reading config runs nothing). */
    static Set<String> filterDrivers(GitCli git, Path location) throws IOException, InterruptedException {
        GitCli.Result r = git.run(location, "config", "--name-only", "--get-regexp", "^filter\\.");
        Set<String> out = new LinkedHashSet<>();
        if (!r.ok()) {
            return out; // exit 1: no filter at all
        }
        for (String line : r.text().split("\n")) {
            String key = line.strip();
            int first = key.indexOf('.');
            int last = key.lastIndexOf('.');
            if (first > 0 && last > first + 1) {
                out.add(key.substring(first + 1, last));
            }
        }
        return out;
    }
}
