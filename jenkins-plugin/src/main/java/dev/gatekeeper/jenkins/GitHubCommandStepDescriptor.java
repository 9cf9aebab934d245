package dev.gatekeeper.jenkins;

import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** The form checks of the steps that read GitHub and send alerts (drift scan, verify-push), besides the shared ones. */
public abstract class GitHubCommandStepDescriptor extends CommandStepDescriptor {
    @POST
    public ListBoxModel doFillGithubCredentialsIdItems(@AncestorInPath Item item,
            @QueryParameter String githubCredentialsId) {
        return SecretTextCredentials.fill(item, githubCredentialsId);
    }

    @POST
    public FormValidation doCheckGithubCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
        return SecretTextCredentials.check(item, value, false);
    }

    @POST
    public ListBoxModel doFillAlertWebhookCredentialsIdItems(@AncestorInPath Item item,
            @QueryParameter String alertWebhookCredentialsId) {
        return SecretTextCredentials.fill(item, alertWebhookCredentialsId);
    }

    @POST
    public FormValidation doCheckAlertWebhookCredentialsId(@AncestorInPath Item item,
            @QueryParameter String value) {
        return SecretTextCredentials.check(item, value, false);
    }
}
