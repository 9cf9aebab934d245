package dev.gatekeeper.jenkins;

import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The form checks the three command steps (stabilize, drift scan, verify-push) share: the ping service's credentials
 * and the job's name. Jenkins finds a descriptor's {@code doFill…Items}/{@code doCheck…} by name among its public
 * methods, inherited ones included, so one copy serves every step.
 */
public abstract class CommandStepDescriptor extends GatekeeperStepDescriptor {
    @POST
    public ListBoxModel doFillPingUrlCredentialsIdItems(@AncestorInPath Item item,
            @QueryParameter String pingUrlCredentialsId) {
        return SecretTextCredentials.fill(item, pingUrlCredentialsId);
    }

    @POST
    public FormValidation doCheckPingUrlCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
        return SecretTextCredentials.check(item, value, false);
    }

    @POST
    public FormValidation doCheckJob(@QueryParameter String value) {
        return FormChecks.check(() -> StepArgs.job(value));
    }
}
