package dev.gatekeeper.drift;

import dev.gatekeeper.drift.GitHubProtection.Source;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A GitHub branch's protection against a baseline, as a pure function: weaker is drift, stricter is fine, and what
 * the reading could not establish is neither.
 *
 * <p>Per setting the baseline asks for (each required check, the review count, no force-pushes, no deletion,
 * signatures): some source must give it, and someone can skip it only when every source that gives it lets them
 * (GitHub enforces classic protection and every ruleset at once). So a ruleset that forbids deletion binds admins
 * to that ban, and to nothing else; a ruleset with bypass actors does not bind them; and classic protection with
 * {@code enforce_admins} binds admins even where a ruleset lets them bypass.
 *
 * <p>When classic protection exists but could not be read, or a ruleset hides its bypass actors, a setting that no
 * fully known source settles is "cannot tell", never "weakened" and never "fine": what was not read could only
 * add protection, so the known sources are a lower bound and settle everything they already satisfy.
 */
final class ProtectionJudge {
    private static final String REVIEWS = "required_pull_request_reviews";

    private ProtectionJudge() {}

    /** What the judge concluded: weakenings, and the settings it cannot tell about with why. */
    record Judgement(List<Finding> findings, Map<String, List<String>> cannotTell) {}

    /** One setting the baseline asks for. */
    private record Requirement(String subject, String label, Predicate<Source> givenBy, boolean skippedByPullRequest,
            Missing missing) {}

    private interface Missing {
        Finding finding(List<Source> sources);
    }

    static Judgement judge(Target.ProtectionBaseline b, GitHubProtection p) {
        List<Finding> findings = new ArrayList<>();
        Map<String, List<String>> unknown = new LinkedHashMap<>();
        for (Requirement r : requirements(b)) {
            List<Source> givers = p.sources().stream().filter(r.givenBy()).toList();
            if (givers.isEmpty()) {
                if (p.classicUnreadable() != null) {
                    unknown.computeIfAbsent(p.classicUnreadable(), k -> new ArrayList<>()).add(r.label());
                } else {
                    findings.add(r.missing().finding(p.sources()));
                }
                continue;
            }
            Predicate<BypassActor> allowed = a -> a.admin() ? !b.enforceAdmins()
                    : b.allowBypass().stream().anyMatch(x -> x.covers(a));
            boolean bindsAllItMust = givers.stream().anyMatch(s -> s.bypassUnknown() == null
                    && skipping(s, r).stream().allMatch(allowed));
            if (bindsAllItMust) {
                continue;
            }
            if (p.classicUnreadable() != null) {
                unknown.computeIfAbsent(p.classicUnreadable(), k -> new ArrayList<>()).add("who " + r.label()
                        + " binds");
                continue;
            }
            List<Source> hidden = givers.stream().filter(s -> s.bypassUnknown() != null).toList();
            if (!hidden.isEmpty()) {
                hidden.forEach(s -> unknown.computeIfAbsent(s.bypassUnknown(), k -> new ArrayList<>())
                        .add("who " + r.label() + " binds"));
                continue;
            }
            // every giver is known: an actor skips the setting when every giver lets them
            Map<String, List<String>> skippers = new LinkedHashMap<>();
            for (Source s : givers) {
                for (BypassActor a : skipping(s, r)) {
                    if (!allowed.test(a)) {
                        skippers.putIfAbsent(a.key(), new ArrayList<>());
                    }
                }
            }
            for (String key : skippers.keySet()) {
                List<String> why = new ArrayList<>();
                boolean all = true;
                for (Source s : givers) {
                    List<BypassActor> same = skipping(s, r).stream().filter(a -> a.key().equals(key)).toList();
                    if (same.isEmpty()) {
                        all = false;
                        break;
                    }
                    same.forEach(a -> why.add(s.describe(a)));
                }
                if (all) {
                    findings.add(BypassActor.ADMINS.equals(key)
                            ? new Finding(Finding.Kind.PROTECTION, "enforce_admins/" + r.subject(), "admins are not bound by "
                                    + r.label() + ": " + String.join("; ", why) + " (baseline: enforceAdmins)", null)
                            : new Finding(Finding.Kind.PROTECTION, "bypass/" + r.subject() + "/" + key, key.replace(':', ' ')
                                    + " may bypass " + r.label() + ": " + String.join("; ", why)
                                    + "; the baseline's allowBypass does not list it", null));
                }
            }
        }
        return new Judgement(findings, unknown);
    }

    /** The source's exemptions that let their actor skip this requirement. */
    private static List<BypassActor> skipping(Source s, Requirement r) {
        return s.bypass().stream().filter(a -> a.skips(r.skippedByPullRequest(), r.subject().equals(REVIEWS)))
                .toList();
    }

    private static List<Requirement> requirements(Target.ProtectionBaseline b) {
        List<Requirement> out = new ArrayList<>();
        for (RequiredCheck c : b.requiredChecks()) {
            out.add(new Requirement("required_status_checks/" + c.context(), c.describe(),
                    s -> s.checks().stream().anyMatch(g -> g.context().equals(c.context())
                            && (c.appId() == null || c.appId().equals(g.appId()))),
                    true, sources -> missingCheck(c, sources)));
        }
        if (b.requiredReviews() > 0) {
            int n = b.requiredReviews();
            out.add(new Requirement(REVIEWS, n + " approving review(s)",
                    s -> s.reviews() >= n, true, sources -> weaker("required_pull_request_reviews",
                            sources.stream().mapToInt(Source::reviews).max().orElse(0)
                                    + " approving review(s) required, baseline " + n)));
        }
        if (!b.allowForcePushes()) {
            out.add(new Requirement("allow_force_pushes", "the ban on force-pushes", Source::blocksForcePushes,
                    false, sources -> weaker("allow_force_pushes", "force-pushes are allowed")));
        }
        if (!b.allowDeletions()) {
            out.add(new Requirement("allow_deletions", "the ban on deleting the branch", Source::blocksDeletion,
                    false, sources -> weaker("allow_deletions", "the branch may be deleted")));
        }
        if (b.requireSignatures()) {
            out.add(new Requirement("required_signatures", "required signatures", Source::requiresSignatures,
                    true, sources -> weaker("required_signatures", "signed commits are no longer required")));
        }
        return out;
    }

    /** A required check nobody requires, or requires only from another source than the baseline's app. */
    private static Finding missingCheck(RequiredCheck c, List<Source> sources) {
        List<String> elsewhere = new ArrayList<>();
        boolean anySource = false;
        for (Source s : sources) {
            for (RequiredCheck g : s.checks()) {
                if (g.context().equals(c.context())) {
                    anySource |= g.appId() == null;
                    elsewhere.add(s.name() + (g.appId() == null ? ": any source" : ": app " + g.appId()));
                }
            }
        }
        if (c.appId() == null || elsewhere.isEmpty()) {
            // the check in the subject: a finding's subject is its identity across runs, so a second check removed
            // within the day is new drift that alerts, not the first one "still there"
            return weaker("required_status_checks/" + c.context(), "required check '" + c.context()
                    + "' was removed");
        }
        return weaker("required_status_checks/" + c.context(), "required check '" + c.context() + "' "
                + (anySource ? "accepts any source now" : "is expected from another app now") + " (baseline: app "
                + c.appId() + "; " + String.join(", ", elsewhere) + ")");
    }

    private static Finding weaker(String setting, String detail) {
        return new Finding(Finding.Kind.PROTECTION, setting, detail, null);
    }
}
