package dev.gatekeeper.jenkins;

import static dev.gatekeeper.jenkins.GitRepos.groovy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import dev.gatekeeper.install.HookInstaller;
import dev.gatekeeper.install.HookRuntime;
import dev.gatekeeper.token.TokenClaims;
import dev.gatekeeper.token.TokenCodec;
import hudson.model.Result;
import hudson.util.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * {@code withGatekeeperToken} against the real push gate: a bare repository with the gatekeeper pre-receive hook
 * installed (the distribution's shaded hook jar, copied by the hpi pom; main protected, pipeline tokens from
 * {@code $GIT_DIR/gatekeeper/pipeline.secret}). A plain {@code sh 'git push'} inside the block lands; the same push
 * outside it is refused by the gate.
 */
@WithJenkins
class WithGatekeeperTokenStepJenkinsTest {
    @RegisterExtension
    static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    private static final String CREDENTIALS_ID = "gatekeeper-pipeline-secret";
    private static final String POLICY = String.join("\n",
            "version: 1",
            "repository: app",
            "protected:",
            "  - ref: refs/heads/main",
            "    howToLand: \"The pipeline pushes main with a pipeline token.\"",
            "");

    @TempDir
    Path tmp;

    private JenkinsRule r;
    private Path bare;
    private Path work;
    private String secret;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        bare = GitRepos.bareWithMain(tmp, "app");
        installGate(bare);
        work = GitRepos.cloneOf(bare, tmp.resolve("pipeline-work"));

        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        secret = Base64.getEncoder().encodeToString(b);
        Files.writeString(bare.resolve("gatekeeper").resolve("pipeline.secret"), secret + "\n", StandardCharsets.UTF_8);
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, CREDENTIALS_ID, "pipeline token secret", Secret.fromString(secret)));
        SystemCredentialsProvider.getInstance().save();
    }

    /**
     * {@code set +x} keeps the token out of sh's {@code -x} trace (the block's log would mask it anyway, see
     * {@link #theBlocksLogMasksTheToken}).
     */
    @Test
    void plainGitPushInsideTheBlockPassesTheGate() throws Exception {
        String sha = GitRepos.commit(work, "release.txt", "1.0\n", "pipeline: release 1.0");
        Path tokenFile = tmp.resolve("token-seen-by-the-block");

        WorkflowRun b = build("""
                node {
                  dir(%s) {
                    withGatekeeperToken(secretCredentialsId: '%s', repo: 'app', ref: 'main') {
                      sh '''set +x
                            printf %%s "$GATEKEEPER_TOKEN" > %s'''
                      sh 'git push origin HEAD:main'
                    }
                  }
                }""".formatted(groovy(work), CREDENTIALS_ID, shellQuoted(tokenFile)), Result.SUCCESS);

        assertEquals(sha, GitRepos.revParse(bare, "main"), "the push landed through the gate");
        r.assertLogContains("[gatekeeper] pipeline token for app refs/heads/main @ " + sha.substring(0, 7), b);

        // The variable held a pipeline token for this very commit, signed with the credentials' secret ...
        String token = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
        TokenClaims claims = TokenCodec.verify(token,
                dev.gatekeeper.token.Secret.of(secret.getBytes(StandardCharsets.UTF_8), "test"),
                TokenClaims.Kind.PIPELINE, Instant.now(), Duration.ofHours(1));
        assertEquals("app", claims.repository());
        assertEquals("refs/heads/main", claims.ref());
        assertEquals(sha, claims.sha().orElseThrow());
        // ... which the build log never shows,
        r.assertLogNotContains(token, b);
        r.assertLogNotContains(TokenCodec.PREFIX, b);
        // and the gate recorded it as the proof.
        String events = Files.readString(bare.resolve("gatekeeper").resolve("events.jsonl"), StandardCharsets.UTF_8);
        assertTrue(events.contains("push.allowed") && events.contains("token:"), events);
    }

    /**
     * What a Jenkinsfile prints inside the block ({@code echo}, sh's {@code -x} trace, {@code env}) shows
     * {@code ****} where the token was: the step gives the block a console log filter, as withCredentials does.
     */
    @Test
    void theBlocksLogMasksTheToken() throws Exception {
        Path tokenFile = tmp.resolve("token-printed-by-the-block");

        WorkflowRun b = build("""
                node {
                  dir(%s) {
                    withGatekeeperToken(secretCredentialsId: '%s', repo: 'app', ref: 'main') {
                      sh 'echo $GATEKEEPER_TOKEN'
                      sh 'echo "in a sentence: $GATEKEEPER_TOKEN."'
                      sh 'env | grep ^GIT_CONFIG_VALUE_'
                      sh 'printf %%s "$GATEKEEPER_TOKEN" > %s'
                    }
                    echo 'after the block'
                  }
                }""".formatted(groovy(work), CREDENTIALS_ID, shellQuoted(tokenFile)), Result.SUCCESS);

        String token = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
        assertTrue(token.startsWith(TokenCodec.PREFIX), "the block did get the token");
        r.assertLogNotContains(token, b);
        r.assertLogNotContains(token.substring(token.lastIndexOf('.') + 1), b); // not even its signature
        r.assertLogNotContains(TokenCodec.PREFIX, b);
        r.assertLogContains("+ echo ****", b); // sh -x
        r.assertLogContains("in a sentence: ****.", b);
        r.assertLogContains("gatekeeper-token=****", b); // env: GIT_CONFIG_VALUE_n
        r.assertLogContains("after the block", b);
    }

    @Test
    void theSamePushOutsideTheBlockIsRefusedByTheGate() throws Exception {
        String before = GitRepos.revParse(bare, "main");
        GitRepos.commit(work, "hotfix.txt", "quick fix\n", "someone: direct push");

        WorkflowRun b = build("""
                node {
                  dir(%s) {
                    sh 'git push origin HEAD:main'
                  }
                }""".formatted(groovy(work)), Result.FAILURE);

        r.assertLogContains("direct push to a protected ref", b);
        assertEquals(before, GitRepos.revParse(bare, "main"), "a refused push must not move main");
    }

    @Test
    void unknownCredentialsIdFailsBeforeTheBody() throws Exception {
        WorkflowRun b = build("""
                node {
                  dir(%s) {
                    withGatekeeperToken(secretCredentialsId: 'no-such-id', repo: 'app') {
                      echo 'inside the block'
                    }
                  }
                }""".formatted(groovy(work)), Result.FAILURE);

        r.assertLogContains("withGatekeeperToken: ", b);
        r.assertLogContains("'no-such-id'", b);
        r.assertLogNotContains("inside the block", b);
    }

    /** The gate as a server admin installs it: the shaded hook jar, run by this JVM's java, with the policy above. */
    private static void installGate(Path bare) throws Exception {
        String jar = System.getProperty("gatekeeper.hookJar");
        assertTrue(jar != null && Files.isRegularFile(Path.of(jar)),
                "system property gatekeeper.hookJar must name the shaded gatekeeper-hooks jar (set by hpi/pom.xml): "
                        + jar);
        Path policy = bare.getParent().resolve("policy.yaml");
        Files.writeString(policy, POLICY, StandardCharsets.UTF_8);
        List<HookInstaller.Result> results = new HookInstaller()
                .setRepositories(List.of(bare))
                .setPolicy(policy)
                .setRuntime(HookRuntime.current(List.of(Path.of(jar))))
                .call();
        assertEquals(1, results.size(), results.toString());
        assertTrue(results.get(0).ok(), results.toString());
    }

    private static String shellQuoted(Path p) {
        // inside a Groovy ''' string given to sh: no quotes or blanks expected in a temp path
        String s = p.toAbsolutePath().toString();
        assertTrue(!s.contains("'") && !s.contains("\"") && !s.contains(" "), s);
        return s;
    }

    private WorkflowRun build(String script, Result expected) throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition(script, true));
        return r.buildAndAssertStatus(expected, p);
    }
}
