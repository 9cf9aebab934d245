package dev.gatekeeper.drift;

import dev.gatekeeper.verify.GitHubRefReader;
import dev.gatekeeper.verify.RemoteReadException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.kohsuke.github.GHBranchProtection;

/**
 * A GitHub branch's protection against the baseline: weaker is drift, stricter is fine. Read through github-api
 * with {@link GitHubRefReader}'s connection and rate-limit handling: a rate limit makes the target unscannable
 * (exit 4) at once instead of waiting up to an hour inside a cron job.
 */
final class GitHubScanner {
    private GitHubScanner() {}

    static TargetResult scan(Target t, String apiUrl, String token, Duration timeout) {
        GitHubRefReader reader = new GitHubRefReader(apiUrl, t.location(), token, timeout);
        GHBranchProtection p;
        try {
            try {
                p = reader.repository().getBranch(t.branch()).getProtection();
            } catch (FileNotFoundException notProtected) {
                // GitHub answers 404 "Branch not protected" (and for a missing branch, also 404)
                return TargetResult.of(t, List.of(new Finding("protection", t.branch(), "branch " + t.branch()
                        + " has no protection at all (or does not exist)", null)), null);
            } catch (IOException e) {
                throw reader.classify(e, "reading the protection of " + t.branch());
            }
            return TargetResult.of(t, compare(t, p), null);
        } catch (RemoteReadException e) {
            return TargetResult.error(t, e.getMessage());
        } catch (IOException | RuntimeException e) {
            return TargetResult.error(t, "cannot read the protection of " + t.branch() + ": " + e.getMessage());
        }
    }

    static List<Finding> compare(Target t, GHBranchProtection p) throws IOException {
        Target.ProtectionBaseline b = t.baseline();
        List<Finding> out = new ArrayList<>();
        Collection<String> checks = p.getRequiredStatusChecks() == null ? List.of()
                : p.getRequiredStatusChecks().getContexts();
        for (String c : b.requiredChecks()) {
            if (!checks.contains(c)) {
                out.add(weaker("required_status_checks", "required check '" + c + "' was removed"));
            }
        }
        int reviews = p.getRequiredReviews() == null ? 0 : p.getRequiredReviews().getRequiredReviewers();
        if (reviews < b.requiredReviews()) {
            out.add(weaker("required_pull_request_reviews", reviews + " approving review(s) required, baseline "
                    + b.requiredReviews()));
        }
        if (b.enforceAdmins() && (p.getEnforceAdmins() == null || !p.getEnforceAdmins().isEnabled())) {
            out.add(weaker("enforce_admins", "admins are not bound by the protection"));
        }
        if (!b.allowForcePushes() && p.getAllowForcePushes() != null && p.getAllowForcePushes().isEnabled()) {
            out.add(weaker("allow_force_pushes", "force-pushes are allowed"));
        }
        if (!b.allowDeletions() && p.getAllowDeletions() != null && p.getAllowDeletions().isEnabled()) {
            out.add(weaker("allow_deletions", "the branch may be deleted"));
        }
        // a second request, so only when the baseline asks for signatures
        if (b.requireSignatures() && !p.getRequiredSignatures()) {
            out.add(weaker("required_signatures", "signed commits are no longer required"));
        }
        return out;
    }

    private static Finding weaker(String setting, String detail) {
        return new Finding("protection", setting, detail, null);
    }
}
