package dev.gatekeeper.jenkins;

import dev.gatekeeper.drift.Target;
import dev.gatekeeper.drift.TargetSpecs;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import java.io.Serializable;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A GitHub repository whose branch protection {@code gatekeeperDriftScan} checks against the default baseline:
 * {@code githubRepos: [[repo: 'acme/app', branch: 'main']]}, the drift.yaml's {@code github:} target (a baseline of
 * its own is the config file's).
 */
public final class GitHubRepository implements Describable<GitHubRepository>, Serializable {
    private static final long serialVersionUID = 1L;

    private final String repo;
    private String branch;

    /** @param repo {@code OWNER/REPO} */
    @DataBoundConstructor
    public GitHubRepository(String repo) {
        String r = StepArgs.text(repo);
        if (r == null) {
            throw new IllegalArgumentException("a GitHub repository needs OWNER/REPO");
        }
        TargetSpecs.githubParts(r);
        if (r.contains("@")) {
            throw new IllegalArgumentException("a GitHub repository is OWNER/REPO; the branch is its own setting");
        }
        this.repo = r;
    }

    public String getRepo() { return repo; }
    public String getBranch() { return branch; }

    /** The protected branch (default: {@code main}). */
    @DataBoundSetter public void setBranch(String v) { this.branch = StepArgs.text(v); }

    Target target() {
        return Target.github(repo, branch, null);
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<GitHubRepository> {
        @Override
        public String getDisplayName() {
            return "GitHub repository";
        }

        @POST
        public FormValidation doCheckRepo(@QueryParameter String value) {
            return FormChecks.check(() -> new GitHubRepository(value));
        }
    }
}
