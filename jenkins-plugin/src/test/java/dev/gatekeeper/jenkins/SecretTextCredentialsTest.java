package dev.gatekeeper.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import dev.gatekeeper.jenkins.stubs.StubCredentials;
import dev.gatekeeper.jenkins.stubs.StubJob;
import dev.gatekeeper.jenkins.stubs.StubSecurity;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.util.List;
import jenkins.model.Jenkins;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The credentials drop-down and check of every step, called as Stapler calls them, for users with and without the
 * permissions the Credentials plugin's consumer guide names: ids are shown (and their existence confirmed) only to
 * who can configure the job, or administer Jenkins outside a job.
 */
class SecretTextCredentialsTest {
    final StubJob job = new StubJob("team/app");

    @BeforeEach
    void store() {
        StubCredentials.clear();
        StubSecurity.clear();
        StubCredentials.put("slack-webhook", "https://hooks.slack.invalid/T0/B0/x");
        StubCredentials.put("gatekeeper-pipeline-secret", "pipeline-secret-0123456789abcdef");
        StubCredentials.putOther(new UsernamePassword("deploy-ssh"));
        StubSecurity.grant(Jenkins.get(), "admin", Jenkins.ADMINISTER);
        StubSecurity.grant(job, "maintainer", Item.CONFIGURE);
        StubSecurity.grant(job, "reviewer", Item.EXTENDED_READ);
        StubSecurity.grant(job, "user", CredentialsProvider.USE_ITEM);
        StubSecurity.grant(job, "viewer", Item.READ);
    }

    @AfterEach
    void forget() {
        StubCredentials.clear();
        StubSecurity.clear();
    }

    static List<String> values(ListBoxModel m) {
        return m.stream().map(o -> o.value).toList();
    }

    @Test
    void whoCanConfigureTheJobPicksFromItsSecretTextCredentials() {
        StabilizeStep.DescriptorImpl d = new StabilizeStep.DescriptorImpl();
        for (String user : List.of("maintainer", "reviewer", "user", "admin")) {
            StubSecurity.login(user);
            ListBoxModel m = d.doFillSlackCredentialsIdItems(job, null);
            assertEquals(List.of("", "gatekeeper-pipeline-secret", "slack-webhook"), values(m),
                    user + ": the empty choice first, then secret text only (not the username/password)");
            assertEquals("- none -", m.get(0).name);
            assertEquals("slack-webhook (stub secret text slack-webhook)", m.get(2).name);
        }
    }

    @Test
    void whoCannotConfigureTheJobSeesOnlyTheValueAlreadyThereAndNoAnswerFromTheCheck() {
        VerifyPushStep.DescriptorImpl d = new VerifyPushStep.DescriptorImpl();
        for (String user : List.of("viewer", "stranger")) {
            StubSecurity.login(user);
            assertEquals(List.of("slack-webhook"), values(d.doFillAlertWebhookCredentialsIdItems(job,
                    "slack-webhook")), user);
            assertEquals(List.of(""), values(d.doFillAlertWebhookCredentialsIdItems(job, "")), user);
            assertEquals(FormValidation.Kind.OK, d.doCheckAlertWebhookCredentialsId(job, "no-such-id").kind,
                    user + ": not told whether an id exists");
        }
    }

    @Test
    void outsideAJobOnlyAnAdministratorIsShownIds() {
        DriftScanStep.DescriptorImpl d = new DriftScanStep.DescriptorImpl();
        StubSecurity.login("maintainer");
        assertEquals(List.of(""), values(d.doFillGithubCredentialsIdItems(null, null)));
        StubSecurity.login("admin");
        assertEquals(List.of("", "gatekeeper-pipeline-secret", "slack-webhook"),
                values(d.doFillGithubCredentialsIdItems(null, null)));
    }

    @Test
    void aCredentialThatIsGoneStaysSelectedAndTheCheckSaysSo() {
        WithGatekeeperTokenStep.DescriptorImpl d = new WithGatekeeperTokenStep.DescriptorImpl();
        StubSecurity.login("maintainer");
        ListBoxModel m = d.doFillSecretCredentialsIdItems(job, "deleted-secret");
        assertEquals(List.of("", "deleted-secret", "gatekeeper-pipeline-secret", "slack-webhook"), values(m));
        assertEquals("- current -", m.get(1).name);

        FormValidation gone = d.doCheckSecretCredentialsId(job, "deleted-secret");
        assertEquals(FormValidation.Kind.ERROR, gone.kind);
        assertTrue(gone.getMessage().contains("deleted-secret"), gone.getMessage());
        assertEquals(FormValidation.Kind.ERROR, d.doCheckSecretCredentialsId(job, "deploy-ssh").kind,
                "not secret text");
        assertEquals(FormValidation.Kind.ERROR, d.doCheckSecretCredentialsId(job, " ").kind, "required here");
        assertEquals(FormValidation.Kind.OK, d.doCheckSecretCredentialsId(job, "gatekeeper-pipeline-secret").kind);
        assertEquals(FormValidation.Kind.OK,
                new StabilizeStep.DescriptorImpl().doCheckSlackCredentialsId(job, "").kind, "optional there");
    }

    /** Credentials of another kind, which a secret-text drop-down must not offer. */
    private record UsernamePassword(String getId) implements IdCredentials {
        private static final long serialVersionUID = 1L;
    }
}
