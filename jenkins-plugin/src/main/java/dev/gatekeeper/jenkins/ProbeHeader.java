package dev.gatekeeper.jenkins;

import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import java.io.Serializable;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * An HTTP header a {@link Probe} sends, its value read from an environment variable when the probe is opened (so a
 * token bound by {@code withCredentials} is sent but never written in the Jenkinsfile), as the CLI's
 * {@code --header NAME=ENVVAR}.
 */
public final class ProbeHeader implements Describable<ProbeHeader>, Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final String variable;

    @DataBoundConstructor
    public ProbeHeader(String name, String variable) {
        this.name = StepArgs.text(name);
        this.variable = StepArgs.text(variable);
        if (this.name == null || !this.name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            throw new IllegalArgumentException("probe header name '" + name + "' is not an HTTP header name");
        }
        if (this.variable == null || !this.variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("probe header " + name + ": variable '" + variable
                    + "' is not an environment variable name");
        }
    }

    public String getName() { return name; }
    public String getVariable() { return variable; }

    @Extension
    public static final class DescriptorImpl extends Descriptor<ProbeHeader> {
        @Override
        public String getDisplayName() {
            return "Header";
        }

        @POST
        public FormValidation doCheckVariable(@QueryParameter String value) {
            return FormChecks.check(() -> new ProbeHeader("X", value));
        }
    }
}
