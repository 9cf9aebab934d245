package dev.gatekeeper.jenkins;

import dev.gatekeeper.drift.Target;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import java.io.Serializable;
import java.nio.file.Path;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A deployed checkout {@code gatekeeperDriftScan} watches: {@code checkouts: [[path: '/srv/app', branch: 'main',
 * expect: deployedSha]]}, the drift.yaml's {@code checkout:} target.
 */
public final class Checkout implements Describable<Checkout>, Serializable {
    private static final long serialVersionUID = 1L;

    private final String path;
    private String branch;
    private String expect;

    /** @param path the checkout's folder; a relative one is in the workspace */
    @DataBoundConstructor
    public Checkout(String path) {
        this.path = StepArgs.text(path);
        if (this.path == null) {
            throw new IllegalArgumentException("a checkout needs a path");
        }
    }

    public String getPath() { return path; }
    public String getBranch() { return branch; }
    public String getExpect() { return expect; }

    /** The branch the checkout must be on (default: any). */
    @DataBoundSetter public void setBranch(String v) { this.branch = StepArgs.text(v); }
    /** The commit the checkout must be at (default: the tip it was last seen at). */
    @DataBoundSetter public void setExpect(String v) { this.expect = StepArgs.text(v); }

    Target target(Path workspace) {
        return Target.checkout(workspace.resolve(path).toAbsolutePath().normalize().toString(), branch, expect);
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<Checkout> {
        @Override
        public String getDisplayName() {
            return "Deployed checkout";
        }

        @POST
        public FormValidation doCheckPath(@QueryParameter String value) {
            return FormChecks.check(() -> new Checkout(value));
        }
    }
}
