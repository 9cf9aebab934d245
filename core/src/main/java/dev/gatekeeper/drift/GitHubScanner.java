package dev.gatekeeper.drift;

import dev.gatekeeper.verify.GitHubRefReader;
import dev.gatekeeper.verify.RemoteReadException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.kohsuke.github.GHBranchProtection;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GHRepositoryRule;

/**
 * A GitHub branch's protection against the baseline: weaker is drift, stricter is fine. What applies is the
 * classic branch protection and the rulesets' rules for the branch together, the stricter of the two winning per
 * setting, as GitHub enforces them. Read through github-api with {@link GitHubRefReader}'s connection and
 * rate-limit handling: a rate limit makes the target unscannable (exit 4) at once instead of waiting up to an hour
 * inside a cron job. Rulesets' bypass actors are not read: a ruleset is taken to bind admins.
 */
final class GitHubScanner {
    private GitHubScanner() {}

    /** The protection in force, whichever mechanism gives it. */
    record Effective(Set<String> checks, int reviews, boolean adminsBound, boolean forcePushAllowed,
            boolean deletionAllowed, boolean signaturesRequired) {}

    static TargetResult scan(Target t, String apiUrl, String token, Duration timeout) {
        GitHubRefReader reader = new GitHubRefReader(apiUrl, t.location(), token, timeout);
        try {
            GHRepository repo = reader.repository();
            GHBranchProtection p = protection(reader, repo, t.branch());
            List<GHRepositoryRule> rules = rules(reader, repo, t.branch());
            if (p == null && rules.isEmpty()) {
                return TargetResult.of(t, List.of(new Finding("protection", t.branch(), "branch " + t.branch()
                        + " has no protection and no ruleset applies (or it does not exist)", null)), null);
            }
            // classic protection keeps signatures behind a second request: made only when the baseline wants them
            return TargetResult.of(t, compare(t.baseline(), effective(p, rules, t.baseline().requireSignatures())),
                    null);
        } catch (RemoteReadException e) {
            return TargetResult.error(t, e.getMessage());
        } catch (IOException | RuntimeException e) {
            return TargetResult.error(t, "cannot read the protection of " + t.branch() + ": " + e.getMessage());
        }
    }

    private static GHBranchProtection protection(GitHubRefReader reader, GHRepository repo, String branch)
            throws RemoteReadException {
        try {
            return repo.getBranch(branch).getProtection();
        } catch (FileNotFoundException notProtected) {
            return null; // 404 "Branch not protected" (or no such branch)
        } catch (IOException e) {
            throw reader.classify(e, "reading the protection of " + branch);
        }
    }

    private static List<GHRepositoryRule> rules(GitHubRefReader reader, GHRepository repo, String branch)
            throws RemoteReadException {
        try {
            return repo.listRulesForBranch(branch).toList();
        } catch (FileNotFoundException none) {
            return List.of(); // GitHub Enterprise Server without rulesets
        } catch (IOException e) {
            throw reader.classify(e, "reading the rules for " + branch);
        }
    }

    static Effective effective(GHBranchProtection p, List<GHRepositoryRule> rules, boolean readSignatures)
            throws IOException {
        Set<String> checks = new LinkedHashSet<>();
        int reviews = 0;
        boolean admins = false;
        boolean force = true;
        boolean delete = true;
        boolean signatures = false;
        if (p != null) {
            if (p.getRequiredStatusChecks() != null) {
                checks.addAll(p.getRequiredStatusChecks().getContexts());
            }
            reviews = p.getRequiredReviews() == null ? 0 : p.getRequiredReviews().getRequiredReviewers();
            admins = p.getEnforceAdmins() != null && p.getEnforceAdmins().isEnabled();
            force = p.getAllowForcePushes() != null && p.getAllowForcePushes().isEnabled();
            delete = p.getAllowDeletions() != null && p.getAllowDeletions().isEnabled();
        }
        boolean fromRules = false;
        for (GHRepositoryRule r : rules) {
            fromRules = true;
            switch (r.getType()) {
                case NON_FAST_FORWARD -> force = false;
                case DELETION -> delete = false;
                case REQUIRED_SIGNATURES -> signatures = true;
                case PULL_REQUEST -> reviews = Math.max(reviews, r.getParameter(
                        GHRepositoryRule.Parameters.REQUIRED_APPROVING_REVIEW_COUNT).orElse(0));
                case REQUIRED_STATUS_CHECKS -> r.getParameter(GHRepositoryRule.Parameters.REQUIRED_STATUS_CHECKS)
                        .ifPresent(l -> l.forEach(c -> checks.add(c.getContext())));
                default -> { }
            }
        }
        if (!signatures && readSignatures && p != null) {
            signatures = p.getRequiredSignatures();
        }
        return new Effective(checks, reviews, admins || fromRules, force, delete, signatures);
    }

    static List<Finding> compare(Target.ProtectionBaseline b, Effective e) {
        List<Finding> out = new ArrayList<>();
        for (String c : b.requiredChecks()) {
            if (!e.checks().contains(c)) {
                out.add(weaker("required_status_checks", "required check '" + c + "' was removed"));
            }
        }
        if (e.reviews() < b.requiredReviews()) {
            out.add(weaker("required_pull_request_reviews", e.reviews() + " approving review(s) required, baseline "
                    + b.requiredReviews()));
        }
        if (b.enforceAdmins() && !e.adminsBound()) {
            out.add(weaker("enforce_admins", "admins are not bound by the protection"));
        }
        if (!b.allowForcePushes() && e.forcePushAllowed()) {
            out.add(weaker("allow_force_pushes", "force-pushes are allowed"));
        }
        if (!b.allowDeletions() && e.deletionAllowed()) {
            out.add(weaker("allow_deletions", "the branch may be deleted"));
        }
        if (b.requireSignatures() && !e.signaturesRequired()) {
            out.add(weaker("required_signatures", "signed commits are no longer required"));
        }
        return out;
    }

    private static Finding weaker(String setting, String detail) {
        return new Finding("protection", setting, detail, null);
    }
}
