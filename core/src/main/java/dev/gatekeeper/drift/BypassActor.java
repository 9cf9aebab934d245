package dev.gatekeeper.drift;

import java.util.List;

/**
 * Someone the rules of a ruleset do not bind (GitHub's {@code bypass_actors}), or, in a baseline's
 * {@code allowBypass}, someone the baseline lets skip them.
 *
 * @param type GitHub's {@code actor_type}: {@code Integration} (a GitHub App), {@code Team}, {@code User},
 *             {@code RepositoryRole}, {@code DeployKey}, {@code OrganizationAdmin}, {@code EnterpriseOwner},
 *             {@code EnterpriseRole}; {@link #ADMINS} for classic protection without {@code enforce_admins}
 * @param id   GitHub's {@code actor_id}, null when GitHub gives none (deploy keys, organization admins) or, in a
 *             baseline, for every actor of the type
 * @param mode GitHub's {@code bypass_mode}: {@code always}, {@code pull_request} (only by merging a pull
 *             request), {@code exempt}; {@link #PULL_REQUEST_ALLOWANCE} for classic protection's
 *             {@code bypass_pull_request_allowances}; null in a baseline
 */
public record BypassActor(String type, Long id, String mode) {
    /** Classic protection's exemption: repository admins, when {@code enforce_admins} is off. */
    public static final String ADMINS = "admins";
    /** The types GitHub documents for {@code bypass_actors[].actor_type}. */
    public static final List<String> TYPES = List.of("Integration", "Team", "User", "RepositoryRole", "DeployKey",
            "OrganizationAdmin", "EnterpriseOwner", "EnterpriseRole");
    /**
     * GitHub's id of the built-in "Repository admin" role (maintain is 2, write is 4); not in GitHub's reference,
     * but what every repository answers, and what the Terraform provider documents.
     */
    public static final long ADMIN_ROLE = 5;
    /**
     * Classic protection's {@code required_pull_request_reviews.bypass_pull_request_allowances}: users, teams and
     * apps that may push without the required pull request, so without its reviews; required checks, the bans on
     * force-pushes and deletion, and signatures still bind them.
     */
    public static final String PULL_REQUEST_ALLOWANCE = "bypass_pull_request_allowances";

    /**
     * Whether this is an admin of the repository or above: the actors {@code enforceAdmins} is about. An
     * organization owner is an admin of every repository in it.
     */
    public boolean admin() {
        return ADMINS.equals(type) || "OrganizationAdmin".equals(type) || "EnterpriseOwner".equals(type)
                || ("RepositoryRole".equals(type) && id != null && id == ADMIN_ROLE);
    }

    /** Whether an allowed entry ({@code this}, id null for any) covers {@code actor}. */
    public boolean covers(BypassActor actor) {
        return type.equals(actor.type()) && (id == null || id.equals(actor.id()));
    }

    /**
     * Whether this exemption lets its actor skip a requirement: {@code pull_request} bypasses only work by merging a
     * pull request, which can skip reviews, checks and signatures but never force-pushes or deletes the branch; a
     * classic pull-request allowance skips the reviews only.
     *
     * @param byPullRequest whether merging a pull request can skip the requirement
     * @param reviews       whether the requirement is the required reviews
     */
    public boolean skips(boolean byPullRequest, boolean reviews) {
        if (PULL_REQUEST_ALLOWANCE.equals(mode)) {
            return reviews;
        }
        return !"pull_request".equals(mode) || byPullRequest;
    }

    /** "Integration:29110", "admins", "DeployKey" for finding subjects. */
    public String key() {
        return admin() ? ADMINS : type + (id == null ? "" : ":" + id);
    }

    /** "Integration 29110" for messages. */
    public String describe() {
        return type + (id == null ? "" : " " + id);
    }
}
