package dev.gatekeeper.jenkins;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.springframework.security.core.Authentication;

/**
 * The drop-down and the check behind every {@code …CredentialsId} field of the steps (each descriptor's
 * {@code doFill…Items} and {@code doCheck…} delegate here), written as the Credentials plugin's consumer guide
 * ({@code docs/consumer.adoc}) recommends: only a user who can configure the job ({@link Item#EXTENDED_READ} or
 * {@link CredentialsProvider#USE_ITEM}; Administer outside a job) is shown ids or told whether one exists; the
 * list is the secret-text credentials the job will run with ({@link Tasks#getAuthenticationOf2}), an empty choice
 * first and the current value kept even when its credential is gone (the check then says so).
 */
final class SecretTextCredentials {
    private SecretTextCredentials() {}

    static ListBoxModel fill(Item item, String current) {
        StandardListBoxModel result = new StandardListBoxModel();
        if (!mayList(item)) {
            return result.includeCurrentValue(current);
        }
        return result.includeEmptyValue()
                .includeMatchingAs(authentication(item), item, StringCredentials.class, List.of(),
                        CredentialsMatchers.always())
                .includeCurrentValue(current);
    }

    static FormValidation check(Item item, String value, boolean required) {
        if (!mayList(item)) {
            return FormValidation.ok();
        }
        String id = StepArgs.text(value);
        if (id == null) {
            return required ? FormValidation.error("Required: the id of a Secret text credential")
                    : FormValidation.ok();
        }
        if (CredentialsProvider.listCredentialsInItem(StringCredentials.class, item, authentication(item), List.of(),
                CredentialsMatchers.withId(id)).isEmpty()) {
            return FormValidation.error("No Secret text credentials with id '" + id + "' for this job");
        }
        return FormValidation.ok();
    }

    private static boolean mayList(Item item) {
        if (item == null) {
            return Jenkins.get().hasPermission(Jenkins.ADMINISTER);
        }
        return item.hasPermission(Item.EXTENDED_READ) || item.hasPermission(CredentialsProvider.USE_ITEM);
    }

    private static Authentication authentication(Item item) {
        return item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2;
    }
}
