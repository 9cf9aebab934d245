package dev.gatekeeper.jenkins;

import dev.gatekeeper.drift.Target;
import dev.gatekeeper.drift.TargetSpecs;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import java.io.Serializable;
import java.nio.file.Path;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A bare repository on the node that {@code gatekeeperDriftScan} checks for commits that bypassed the gate and
 * tampered hooks: {@code bares: [[path: '/srv/git/app.git']]}, the drift.yaml's {@code bare:} target (its
 * {@code receive:} expectations are the config file's).
 */
public final class BareRepository implements Describable<BareRepository>, Serializable {
    private static final long serialVersionUID = 1L;

    private final String path;

    /** @param path the repository's folder; a relative one is in the workspace */
    @DataBoundConstructor
    public BareRepository(String path) {
        this.path = StepArgs.text(path);
        if (this.path == null) {
            throw new IllegalArgumentException("a bare repository needs a path");
        }
    }

    public String getPath() { return path; }

    Target target(Path workspace) {
        return TargetSpecs.bare(path, workspace);
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<BareRepository> {
        @Override
        public String getDisplayName() {
            return "Bare repository";
        }

        @POST
        public FormValidation doCheckPath(@QueryParameter String value) {
            return FormChecks.check(() -> new BareRepository(value));
        }
    }
}
