package dev.gatekeeper.install;

import dev.gatekeeper.ExitCode;
import dev.gatekeeper.GatekeeperException;
import dev.gatekeeper.identity.RecordedRepositoryId;
import dev.gatekeeper.identity.RepositoryIdentity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The repository id a server install records ({@link RecordedRepositoryId}), planned for every repository before
 * anything is written, so that one install can never give two repositories the same id (and with it each other's
 * tokens):
 * <ul>
 *   <li>{@code --all ROOT}: the path below ROOT without {@code .git} ({@code team1/app}); a policy's
 *       {@code repository:} copied into every repository is not used as the id (it would be every repository's);</li>
 *   <li>one repository: {@code --repository-id}, else the policy's {@code repository:}, else the folder name;</li>
 *   <li>an id recorded by an earlier install is kept (a reinstall or an upgrade must not change what pipelines
 *       mint for), unless {@code --repository-id} replaces it; the note says what this install would have chosen.</li>
 * </ul>
 * {@code --repository-id} names one repository; two repositories of one run that would get the same id are refused.
 */
final class RepositoryIds {
    /** What to do for one repository: the id to record (null: keep the recorded one) and what to tell the admin. */
    record Planned(String id, String note) {}

    private RepositoryIds() {}

    static Map<Path, Planned> plan(List<Path> gitDirs, Path all, String explicit, Optional<String> policyRepository)
            throws GatekeeperException {
        if (explicit != null) {
            if (!RecordedRepositoryId.isValid(explicit)) {
                throw new GatekeeperException(ExitCode.USAGE, "--repository-id '" + explicit + "' is not a usable id"
                        + " (1 to 512 characters, no control characters)");
            }
            if (all != null || gitDirs.size() != 1) {
                throw new GatekeeperException(ExitCode.USAGE, "--repository-id names one repository; given with "
                        + (all != null ? "--all" : gitDirs.size() + " repositories") + " it would make them share one"
                        + " identity, and each accept the others' tokens");
            }
        }
        Path root = all == null ? null : all.toAbsolutePath().normalize();
        Map<Path, Planned> out = new LinkedHashMap<>();
        Map<String, List<Path>> newIds = new LinkedHashMap<>();
        for (Path gitDir : gitDirs) {
            Optional<String> recorded = RecordedRepositoryId.read(gitDir);
            boolean underRoot = root != null && gitDir.startsWith(root) && !gitDir.equals(root);
            String computed = underRoot ? relativeId(root, gitDir)
                    : policyRepository.orElse(RepositoryIdentity.folderName(gitDir));
            String unusedPolicy = underRoot && policyRepository.isPresent()
                    ? "; the policy's repository: '" + policyRepository.get() + "' is not used as the id (--all would"
                    + " give it to every repository)" : "";
            if (explicit != null && recorded.filter(explicit::equals).isPresent()) {
                out.put(gitDir, new Planned(null, "repository id: " + explicit + " (recorded before, kept)"));
                newIds.computeIfAbsent(explicit, k -> new ArrayList<>()).add(gitDir);
            } else if (explicit != null) {
                out.put(gitDir, new Planned(explicit, "repository id: " + explicit
                        + recorded.filter(r -> !r.equals(explicit)).map(r -> " (was " + r + ")").orElse("")
                        + hint(explicit)));
                newIds.computeIfAbsent(explicit, k -> new ArrayList<>()).add(gitDir);
            } else if (recorded.isPresent()) {
                String r = recorded.get();
                out.put(gitDir, new Planned(null, "repository id: " + r + " (recorded before, kept"
                        + (r.equals(computed) ? "" : "; this install would have given '" + computed + "': pass"
                        + " --repository-id to change it") + ")" + unusedPolicy));
            } else {
                out.put(gitDir, new Planned(computed, "repository id: " + computed + hint(computed) + unusedPolicy));
                newIds.computeIfAbsent(computed, k -> new ArrayList<>()).add(gitDir);
            }
        }
        List<String> clashes = new ArrayList<>();
        newIds.forEach((id, dirs) -> {
            if (dirs.size() > 1) {
                clashes.add("'" + id + "' for " + dirs);
            }
        });
        if (!clashes.isEmpty()) {
            throw new GatekeeperException(ExitCode.USAGE, "these repositories would share one repository id, and with"
                    + " it each other's tokens: " + String.join("; ", clashes) + ". Install them with --all ROOT (each"
                    + " gets its path below ROOT) or one at a time with --repository-id ID");
        }
        return out;
    }

    /** {@code team1/app} for ROOT/team1/app.git. */
    static String relativeId(Path root, Path gitDir) {
        String rel = root.relativize(gitDir).toString().replace('\\', '/');
        if (rel.endsWith("/.git")) {
            rel = rel.substring(0, rel.length() - 5);
        }
        return rel.endsWith(".git") && rel.length() > 4 ? rel.substring(0, rel.length() - 4) : rel;
    }

    private static String hint(String id) {
        return " (pipelines mint its tokens with --repo " + id + ")";
    }
}
