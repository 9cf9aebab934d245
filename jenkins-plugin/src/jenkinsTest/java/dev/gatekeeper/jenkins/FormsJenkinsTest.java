package dev.gatekeeper.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.ExtensionList;
import hudson.model.Item;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import hudson.util.Secret;
import java.util.List;
import java.util.TreeMap;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * In the real Jenkins: the steps and the list entries are discovered through the extension index, and the
 * credentials drop-down lists secret text to who can configure the job and nothing to who can only read it (the
 * unit build's SecretTextCredentialsTest, against Jenkins' own ACLs and credentials store).
 */
@WithJenkins
class FormsJenkinsTest {

    @Test
    void theStepsAndTheirListEntriesAreDiscovered(JenkinsRule r) {
        TreeMap<String, Class<?>> steps = new TreeMap<>();
        for (StepDescriptor d : ExtensionList.lookup(StepDescriptor.class)) {
            if (d.clazz.getPackageName().equals("dev.gatekeeper.jenkins")) {
                steps.put(d.getFunctionName(), d.clazz);
            }
        }
        assertEquals(List.of("gatekeeperDriftScan", "gatekeeperStabilize", "gatekeeperVerifyPush",
                "withGatekeeperToken"), List.copyOf(steps.keySet()));
        for (Class<?> c : List.of(Probe.class, ProbeHeader.class, Checkout.class, BareRepository.class,
                GitHubRepository.class)) {
            assertEquals(c, r.jenkins.getDescriptorOrDie(c.asSubclass(hudson.model.Describable.class)).clazz);
        }
    }

    @Test
    void onlyWhoCanConfigureTheJobIsShownCredentialIds(JenkinsRule r) throws Exception {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        WorkflowJob job = r.createProject(WorkflowJob.class, "app");
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ).everywhere().to("dev", "viewer")
                .grant(Item.CONFIGURE).onItems(job).to("dev"));
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "slack-webhook", "Slack", Secret.fromString("https://hooks.invalid/x")));
        SystemCredentialsProvider.getInstance().save();
        StabilizeStep.DescriptorImpl d = r.jenkins.getDescriptorByType(StabilizeStep.DescriptorImpl.class);

        try (ACLContext ignored = ACL.as2(User.getById("dev", true).impersonate2())) {
            assertEquals(List.of("", "slack-webhook"), values(d.doFillSlackCredentialsIdItems(job, null)));
            assertEquals(FormValidation.Kind.OK, d.doCheckSlackCredentialsId(job, "slack-webhook").kind);
            assertEquals(FormValidation.Kind.ERROR, d.doCheckSlackCredentialsId(job, "gone").kind);
        }
        try (ACLContext ignored = ACL.as2(User.getById("viewer", true).impersonate2())) {
            assertEquals(List.of(""), values(d.doFillSlackCredentialsIdItems(job, null)));
            assertEquals(FormValidation.Kind.OK, d.doCheckSlackCredentialsId(job, "gone").kind);
        }
    }

    private static List<String> values(ListBoxModel m) {
        return m.stream().map(o -> o.value).toList();
    }
}
