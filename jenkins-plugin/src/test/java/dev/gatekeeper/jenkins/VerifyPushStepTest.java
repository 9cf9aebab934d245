package dev.gatekeeper.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.jenkins.stubs.StubCredentials;
import hudson.AbortException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyPushStepTest {
    @TempDir
    Path tmp;
    Repos repos;

    @BeforeEach
    void repos() {
        repos = new Repos(tmp);
        StubCredentials.clear();
    }

    @AfterEach
    void forget() {
        StubCredentials.clear();
    }

    @Test
    void aPushThatLandedIsVerified() throws Exception {
        String pushed = repos.git.commit(repos.workspace, "agent change");
        repos.git.git(repos.workspace, "push", "-q", "origin", "HEAD:main");
        FakeStepContext ctx = repos.context();

        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) ctx.run(new VerifyPushStep("main"));

        assertEquals("verified", r.get("verdict"));
        assertEquals(0, r.get("exitCode"));
        assertEquals(pushed, r.get("remoteSha"));
        assertEquals(pushed, r.get("expectedSha"));
        assertEquals("main", r.get("branch"));
        assertEquals("refs/heads/main", r.get("ref"));
        assertFalse(((String) r.get("eventId")).isEmpty(), "an audit event was written");
        assertTrue(ctx.log().contains("[gatekeeper] verify-push: verified: "), ctx.log());
    }

    @Test
    void aCommitThatWasNotPushedFailsTheBuildWithOneLine() throws Exception {
        String before = repos.serverTip();
        repos.git.commit(repos.workspace, "claimed but never pushed");
        VerifyPushStep step = new VerifyPushStep("main");
        step.setTimeout("1s");
        FakeStepContext ctx = repos.context();

        AbortException e = assertThrows(AbortException.class, () -> ctx.run(step));

        assertTrue(e.getMessage().startsWith("gatekeeperVerifyPush: NOT VERIFIED: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(exit 3)"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        assertTrue(ctx.log().contains("[gatekeeper] verify-push: NOT VERIFIED: "), ctx.log());
        assertEquals(before, repos.serverTip(), "verify-push never pushes");
    }

    @Test
    void propagateFalseReturnsTheVerdictInstead() throws Exception {
        String before = repos.serverTip();
        String claimed = repos.git.commit(repos.workspace, "claimed");
        VerifyPushStep step = new VerifyPushStep("main");
        step.setTimeout("1s");
        step.setPropagate(false);

        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) repos.context().run(step);

        assertEquals("not-verified", r.get("verdict"));
        assertEquals(3, r.get("exitCode"));
        assertEquals(before, r.get("remoteSha"));
        assertEquals(claimed, r.get("expectedSha"));
        assertFalse(((String) r.get("reason")).isEmpty());
    }

    @Test
    void anExpectedRevisionAndContainsModeAreResolvedInTheWorkspace() throws Exception {
        String first = repos.git.commit(repos.workspace, "first");
        repos.git.commit(repos.workspace, "second");
        repos.git.git(repos.workspace, "push", "-q", "origin", "HEAD:main");
        VerifyPushStep step = new VerifyPushStep("main");
        step.setExpect("HEAD~1");
        step.setContains(true);

        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) repos.context().run(step);

        assertEquals("verified", r.get("verdict"));
        assertEquals(first, r.get("expectedSha"));
    }

    @Test
    void badSettingsFailWhenConfiguredAndOnTheAgentEvenWithPropagateFalse() throws Exception {
        VerifyPushStep step = new VerifyPushStep("main");
        IllegalArgumentException configured = assertThrows(IllegalArgumentException.class,
                () -> step.setTimeout("soon"));
        assertTrue(configured.getMessage().startsWith("timeout: invalid value 'soon'"), configured.getMessage());
        assertThrows(IllegalArgumentException.class, () -> step.setGithub("not a repo"));

        // what only the agent can tell: a revision the workspace does not know
        step.setExpect("no-such-revision");
        step.setPropagate(false);
        AbortException e = assertThrows(AbortException.class, () -> repos.context().run(step));
        assertTrue(e.getMessage().startsWith("gatekeeperVerifyPush: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(exit 2)"), e.getMessage());
    }

    @Test
    void anUnknownCredentialsIdIsNamed() throws Exception {
        VerifyPushStep step = new VerifyPushStep("main");
        step.setGithubCredentialsId("no-such-token");
        AbortException e = assertThrows(AbortException.class, () -> repos.context().run(step));
        assertEquals("gatekeeperVerifyPush: no secret-text credentials with id 'no-such-token' (githubCredentialsId)",
                e.getMessage());
    }

    @Test
    void theAlertWebhookComesFromCredentialsAndIsTrackedButNeverLogged() throws Exception {
        StubCredentials.put("ops-webhook", "http://127.0.0.1:9/hooks/very-secret-path");
        repos.git.commit(repos.workspace, "never pushed");
        VerifyPushStep step = new VerifyPushStep("main");
        step.setTimeout("1s");
        step.setPropagate(false);
        step.setAlertWebhookCredentialsId("ops-webhook");
        FakeStepContext ctx = repos.context();

        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) ctx.run(step);

        assertEquals("not-verified", r.get("verdict"));
        assertEquals(1, StubCredentials.trackedCredentials().size(), "the use is recorded on the build");
        assertTrue(ctx.log().contains("warning: could not send the alert"), "port 9 refuses: a warning\n"
                + ctx.log());
        assertFalse(ctx.log().contains("very-secret-path"), ctx.log());
    }
}
