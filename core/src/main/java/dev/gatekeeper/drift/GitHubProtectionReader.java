package dev.gatekeeper.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekeeper.drift.GitHubProtection.Source;
import dev.gatekeeper.github.Fields;
import dev.gatekeeper.github.GitHubApi;
import dev.gatekeeper.verify.RemoteReadException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what protects a GitHub branch ({@link GitHubProtection}), judging each answer's authority, never its
 * meaning for the baseline:
 *
 * <ul>
 *   <li>{@code GET /repos/{o}/{r}/branches/{b}}: a 404 means no such branch; {@code protected} says whether
 *       anything protects it (a token with read access sees it).
 *   <li>{@code GET …/branches/{b}/protection}: classic protection. "Branch not protected" (404) says there is
 *       none. Any other 404, or a 403, is what GitHub gives a token without admin rights: when the branch says
 *       {@code protected: true} classic protection may exist and is unreadable, never absent.
 *   <li>{@code GET /repos/{o}/{r}/rules/branches/{b}} (every page): the active rulesets' rules; 404 on servers
 *       without rulesets.
 *   <li>{@code GET /repos/{o}/{r}/rulesets/{id}}: a ruleset's {@code bypass_actors}, which GitHub shows only to a
 *       token that may edit the ruleset ({@code current_user_can_bypass} tells the rest about the token itself).
 * </ul>
 * A body of the wrong shape is no answer ({@link RemoteReadException.Kind#BAD_ANSWER}).
 */
final class GitHubProtectionReader {
    static final String CLASSIC = "classic branch protection";
    /** What reading classic protection takes, for the "cannot tell" line. */
    static final String PROTECTION_RIGHTS = "reading branch protection needs admin rights on the repository: a "
            + "classic token of a repository admin (repo scope), or a fine-grained token or GitHub App with "
            + "'Administration: read'";
    static final String RULESET_RIGHTS = "GitHub shows bypass actors only to a token that may edit the ruleset: a "
            + "repository admin ('Administration: read' for a fine-grained token or GitHub App), or for an "
            + "organization ruleset an organization owner ('Organization administration: read')";

    private final GitHubApi api;
    private final String repo;
    private final String branch;

    GitHubProtectionReader(GitHubApi api, String repo, String branch) {
        this.api = api;
        this.repo = repo;
        this.branch = branch;
    }

    /** @return empty when the branch does not exist */
    Optional<GitHubProtection> read(boolean signaturesNeeded) throws RemoteReadException {
        api.repository(repo);
        String doing = "reading the branch " + branch;
        GitHubApi.Answer b = api.get("repos/" + repo + "/branches/" + branch, doing);
        if (b.status() == 404) {
            return Optional.empty();
        }
        if (b.status() != 200) {
            throw b.unexpected(doing);
        }
        boolean isProtected = b.read(doing, n -> Fields.bool(Fields.asObject(n, "the branch"), "protected"));

        List<Source> sources = new ArrayList<>();
        String classicUnreadable = null;
        doing = "reading the protection of " + branch;
        GitHubApi.Answer p = api.get("repos/" + repo + "/branches/" + branch + "/protection", doing);
        if (p.status() == 200) {
            sources.add(classic(p, doing, signaturesNeeded));
        } else if (p.status() == 404 && p.message().equalsIgnoreCase("Branch not protected")) {
            // GitHub's answer to a token that may read protection: there is none
        } else if (p.status() == 404 || p.status() == 403) {
            if (isProtected) {
                classicUnreadable = "GitHub answered HTTP " + p.status() + (p.message().isBlank() ? ""
                        : " \"" + p.message() + "\"") + " for the protection of " + branch + ", which it reports as "
                        + "protected: this token cannot read it (" + PROTECTION_RIGHTS + ")";
            } // else the branch says nothing protects it: no classic protection, whatever the token may read
        } else {
            throw p.unexpected(doing);
        }
        sources.addAll(rulesets());
        return Optional.of(new GitHubProtection(sources, classicUnreadable));
    }

    /** Classic protection as read, and whether the answer said if signatures are required. */
    private record Classic(Source source, boolean signaturesSaid) {}

    private Source classic(GitHubApi.Answer p, String doing, boolean signaturesNeeded) throws RemoteReadException {
        Classic c = p.read(doing, n -> {
            Fields.asObject(n, "the branch protection");
            List<RequiredCheck> checks = new ArrayList<>();
            JsonNode rsc = Fields.optionalObject(n, "required_status_checks");
            if (rsc != null) {
                JsonNode withSource = Fields.optionalArray(rsc, "checks");
                if (withSource != null) {
                    for (JsonNode check : withSource) {
                        Fields.asObject(check, "a required check");
                        checks.add(new RequiredCheck(nonBlank(Fields.text(check, "context"), "context"),
                                Fields.optionalNumber(check, "app_id")));
                    }
                } else { // servers before checks[] know only names: any source
                    for (JsonNode name : Fields.array(rsc, "contexts")) {
                        if (!name.isTextual()) {
                            throw new Fields.WrongShape("'contexts' holds " + Fields.describe(name) + ", not names");
                        }
                        checks.add(RequiredCheck.named(nonBlank(name.asText(), "contexts")));
                    }
                }
            }
            JsonNode reviews = Fields.optionalObject(n, "required_pull_request_reviews");
            int count = reviews == null ? 0 : (int) Fields.number(reviews, "required_approving_review_count");
            boolean admins = Fields.bool(Fields.object(n, "enforce_admins"), "enabled");
            boolean force = Fields.bool(Fields.object(n, "allow_force_pushes"), "enabled");
            boolean deletions = Fields.bool(Fields.object(n, "allow_deletions"), "enabled");
            JsonNode sig = Fields.optionalObject(n, "required_signatures");
            List<BypassActor> bypass = new ArrayList<>();
            if (!admins) {
                bypass.add(new BypassActor(BypassActor.ADMINS, null, "always"));
            }
            if (reviews != null) {
                bypass.addAll(pullRequestAllowances(reviews));
            }
            return new Classic(new Source(CLASSIC, checks, count, !force, !deletions,
                    sig != null && Fields.bool(sig, "enabled"), bypass, null), sig != null);
        });
        Source s = c.source();
        if (!c.signaturesSaid() && signaturesNeeded) { // some servers keep signatures behind a second request
            s = new Source(s.name(), s.checks(), s.reviews(), s.blocksForcePushes(), s.blocksDeletion(), signatures(),
                    s.bypass(), null);
        }
        return s;
    }

    private boolean signatures() throws RemoteReadException {
        String doing = "reading whether " + branch + " requires signatures";
        GitHubApi.Answer a = api.get("repos/" + repo + "/branches/" + branch + "/protection/required_signatures",
                doing);
        if (a.status() != 200) {
            throw a.unexpected(doing);
        }
        return a.read(doing, n -> Fields.bool(Fields.asObject(n, "the answer"), "enabled"));
    }

    /** One source per ruleset that has rules for the branch, in GitHub's order. */
    private List<Source> rulesets() throws RemoteReadException {
        String doing = "reading the rules for " + branch;
        GitHubApi.Answer a = api.getAllPages("repos/" + repo + "/rules/branches/" + branch, doing);
        if (a.status() == 404) {
            return List.of(); // a GitHub Enterprise Server without rulesets
        }
        if (a.status() != 200) {
            throw a.unexpected(doing);
        }
        Map<Long, Rules> byRuleset = a.read(doing, n -> {
            Map<Long, Rules> m = new LinkedHashMap<>();
            for (JsonNode rule : Fields.asArray(n, "the rules")) {
                Fields.asObject(rule, "a rule");
                String type = Fields.text(rule, "type");
                Rules r = m.computeIfAbsent(Fields.number(rule, "ruleset_id"), id -> new Rules());
                switch (type) {
                    case "deletion" -> r.deletion = true;
                    case "non_fast_forward" -> r.nonFastForward = true;
                    case "required_signatures" -> r.signatures = true;
                    case "pull_request" -> r.reviews = Math.max(r.reviews, (int) Fields.number(
                            Fields.object(rule, "parameters"), "required_approving_review_count"));
                    case "required_status_checks" -> {
                        for (JsonNode c : Fields.array(Fields.object(rule, "parameters"), "required_status_checks")) {
                            Fields.asObject(c, "a required check");
                            r.checks.add(new RequiredCheck(nonBlank(Fields.text(c, "context"), "context"),
                                    Fields.optionalNumber(c, "integration_id")));
                        }
                    }
                    default -> { } // other rule types (creation, update, linear history, …) are not in a baseline
                }
            }
            return m;
        });
        List<Source> out = new ArrayList<>();
        for (Map.Entry<Long, Rules> e : byRuleset.entrySet()) {
            out.add(ruleset(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** What one ruleset's rules give, read from the rules endpoint. */
    private static final class Rules {
        final List<RequiredCheck> checks = new ArrayList<>();
        int reviews;
        boolean nonFastForward;
        boolean deletion;
        boolean signatures;
    }

    /** A ruleset's own answer: its name, its bypass actors (null: not shown), what it says of the token. */
    private record Ruleset(String name, List<BypassActor> bypass, String tokenCanBypass) {}

    private Source ruleset(long id, Rules r) throws RemoteReadException {
        String doing = "reading ruleset #" + id;
        GitHubApi.Answer a = api.get("repos/" + repo + "/rulesets/" + id, doing);
        String name = "ruleset #" + id;
        List<BypassActor> bypass = List.of();
        String unknown = null;
        if (a.status() == 200) {
            Ruleset rs = a.read(doing, n -> {
                Fields.asObject(n, "the ruleset");
                return new Ruleset(Fields.optionalText(n, "name"), bypassActors(n),
                        Fields.optionalText(n, "current_user_can_bypass"));
            });
            name = rs.name() == null ? name : "ruleset '" + rs.name() + "' (#" + id + ")";
            if (rs.bypass() != null) {
                bypass = rs.bypass();
            } else {
                unknown = "GitHub does not show the bypass actors of " + name + " to this token"
                        + (rs.tokenCanBypass() == null ? "" : " (of the token itself it says current_user_can_bypass: "
                                + rs.tokenCanBypass() + ")") + "; " + RULESET_RIGHTS;
            }
        } else if (a.status() == 404 || a.status() == 403) {
            unknown = "GitHub answered HTTP " + a.status() + (a.message().isBlank() ? "" : " \"" + a.message()
                    + "\"") + " for " + name + ", whose rules apply to " + branch + "; " + RULESET_RIGHTS;
        } else {
            throw a.unexpected(doing);
        }
        return new Source(name, r.checks, r.reviews, r.nonFastForward, r.deletion, r.signatures, bypass, unknown);
    }

    /**
     * Classic protection's {@code bypass_pull_request_allowances}: {@code users}, {@code teams} and {@code apps} as
     * GitHub lists them (a user, a team, an integration, each with its {@code id}), as the ruleset actor types
     * {@code User}, {@code Team} and {@code Integration} so a baseline's {@code allowBypass} names them alike.
     */
    private static List<BypassActor> pullRequestAllowances(JsonNode reviews) {
        JsonNode allowances = Fields.optionalObject(reviews, "bypass_pull_request_allowances");
        if (allowances == null) {
            return List.of();
        }
        List<BypassActor> out = new ArrayList<>();
        for (String[] kind : new String[][] {{"users", "User"}, {"teams", "Team"}, {"apps", "Integration"}}) {
            JsonNode list = Fields.optionalArray(allowances, kind[0]);
            for (JsonNode actor : list == null ? List.<JsonNode>of() : list) {
                Fields.asObject(actor, "a bypass allowance");
                out.add(new BypassActor(kind[1], Fields.number(actor, "id"), BypassActor.PULL_REQUEST_ALLOWANCE));
            }
        }
        return out;
    }

    /** @return null when GitHub did not say (the token may not see them) */
    private static List<BypassActor> bypassActors(JsonNode ruleset) {
        JsonNode list = Fields.optionalArray(ruleset, "bypass_actors");
        if (list == null) {
            return null;
        }
        List<BypassActor> out = new ArrayList<>();
        for (JsonNode a : list) {
            Fields.asObject(a, "a bypass actor");
            String mode = Fields.optionalText(a, "bypass_mode");
            out.add(new BypassActor(Fields.text(a, "actor_type"), Fields.optionalNumber(a, "actor_id"),
                    mode == null ? "always" : mode));
        }
        return out;
    }

    private static String nonBlank(String s, String field) {
        if (s.isBlank()) {
            throw new Fields.WrongShape("'" + field + "' is empty");
        }
        return s;
    }
}
