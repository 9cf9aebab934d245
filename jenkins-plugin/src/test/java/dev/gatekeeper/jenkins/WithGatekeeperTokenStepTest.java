package dev.gatekeeper.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekeeper.jenkins.stubs.StubCredentials;
import dev.gatekeeper.token.Secret;
import dev.gatekeeper.token.TokenClaims;
import dev.gatekeeper.token.TokenCodec;
import dev.gatekeeper.verify.Git;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.console.ConsoleLogFilter;
import hudson.console.LineTransformationOutputStream;
import hudson.model.Run;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WithGatekeeperTokenStepTest {
    private static final String SECRET = "pipeline-secret-0123456789abcdef";

    @TempDir
    Path tmp;
    Repos repos;

    @BeforeEach
    void repos() {
        StubCredentials.clear();
        StubCredentials.put("gatekeeper-pipeline-secret", SECRET);
        repos = new Repos(tmp);
    }

    @AfterEach
    void forget() {
        StubCredentials.clear();
    }

    private static TokenClaims verify(String token) throws Exception {
        return TokenCodec.verify(token, Secret.of(SECRET.getBytes(StandardCharsets.UTF_8), "test"),
                TokenClaims.Kind.PIPELINE, Instant.now(), Duration.ofHours(24));
    }

    @Test
    void theBodySeesAValidTokenForTheWorkspaceHeadAndGitPushOptions() throws Exception {
        String head = repos.git.commit(repos.workspace, "to be pushed");
        FakeStepContext ctx = repos.context();
        ctx.body = env -> "body result";

        Object result = ctx.run(new WithGatekeeperTokenStep("gatekeeper-pipeline-secret", "app"));

        assertEquals("body result", result, "the step ends as its body ended");
        EnvVars env = ctx.bodyEnv;
        String token = env.get("GATEKEEPER_TOKEN");
        TokenClaims claims = verify(token);
        assertEquals("app", claims.repository());
        assertEquals("refs/heads/main", claims.ref());
        assertEquals(head, claims.sha().orElseThrow());
        assertEquals("team/app#7", claims.issuer().orElseThrow(), "the build that minted it");
        assertTrue(claims.expiresAt().isBefore(Instant.now().plus(Duration.ofMinutes(11))), "10 minutes by default");
        assertEquals("1", env.get("GIT_CONFIG_COUNT"));
        assertEquals("push.pushOption", env.get("GIT_CONFIG_KEY_0"));
        assertEquals("gatekeeper-token=" + token, env.get("GIT_CONFIG_VALUE_0"));

        String log = ctx.log();
        assertTrue(log.contains("[gatekeeper] pipeline token for app refs/heads/main @ " + head.substring(0, 7)
                + ", expires "), log);
        assertFalse(log.contains(token) || log.contains(token.substring(token.lastIndexOf('.') + 1)), log);
        assertFalse(log.contains(SECRET), log);
        assertEquals(1, StubCredentials.trackedCredentials().size());
    }

    @Test
    void aPlainGitPushInTheBodyCarriesTheTokenNextToTheBuildsOwnOptions() throws Exception {
        Path seen = repos.recordPushOptions(tmp.resolve("push-options.txt"));
        String head = repos.git.commit(repos.workspace, "pipeline change");
        Map<String, String> buildEnv = new HashMap<>(repos.git.env());
        buildEnv.putAll(Map.of("GIT_CONFIG_COUNT", "1", "GIT_CONFIG_KEY_0", "push.pushOption",
                "GIT_CONFIG_VALUE_0", "ci-run=42"));
        FakeStepContext ctx = new FakeStepContext(repos.workspace, buildEnv);
        ctx.body = env -> {
            // what sh 'git push origin HEAD:main' does: the body's environment, no -o on the command line
            Git.Run r = repos.git.run(repos.workspace, env, List.of("git", "push", "-q", "origin", "HEAD:main"));
            assertEquals(0, r.exit(), r.stderr());
            return r.exit();
        };

        assertEquals(0, ctx.run(new WithGatekeeperTokenStep("gatekeeper-pipeline-secret", "app")));

        assertEquals(head, repos.serverTip());
        List<String> options = Files.readAllLines(seen, StandardCharsets.UTF_8);
        assertEquals(2, options.size(), options.toString());
        assertEquals("ci-run=42", options.get(0), "the build's own option is kept");
        assertTrue(options.get(1).startsWith("gatekeeper-token="), options.toString());
        assertEquals(head, verify(options.get(1).substring("gatekeeper-token=".length())).sha().orElseThrow());
    }

    @Test
    void refCommitTtlAndVariableAreHonoured() throws Exception {
        String first = repos.git.commit(repos.workspace, "first");
        repos.git.commit(repos.workspace, "second");
        WithGatekeeperTokenStep step = new WithGatekeeperTokenStep("gatekeeper-pipeline-secret", "app");
        step.setRef("release");
        step.setCommit("HEAD~1");
        step.setTtl("2m");
        step.setVariable("PUSH_TOKEN");
        FakeStepContext ctx = repos.context();

        ctx.run(step);

        TokenClaims claims = verify(ctx.bodyEnv.get("PUSH_TOKEN"));
        assertEquals("refs/heads/release", claims.ref());
        assertEquals(first, claims.sha().orElseThrow());
        assertTrue(claims.expiresAt().isBefore(Instant.now().plus(Duration.ofMinutes(3))));
        assertFalse(ctx.bodyEnv.containsKey("GATEKEEPER_TOKEN"));
    }

    @Test
    void aBadTtlFailsWhenConfiguredAndATooLongOneIsNamedAsTheStepsParameter() throws Exception {
        WithGatekeeperTokenStep step = new WithGatekeeperTokenStep("gatekeeper-pipeline-secret", "app");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> step.setTtl("soon"));
        assertTrue(bad.getMessage().startsWith("ttl: invalid value 'soon'"), bad.getMessage());
        step.setTtl("48h");
        FakeStepContext ctx = repos.context();
        ctx.body = env -> {
            throw new AssertionError("the body must not run");
        };
        AbortException e = assertThrows(AbortException.class, () -> ctx.run(step));
        assertEquals("withGatekeeperToken: ttl: must be more than 0 and at most 1440 minutes (exit 2)",
                e.getMessage(), "core's setting named as this step's parameter, never as a CLI option");
    }

    @Test
    void anUnknownCredentialsIdIsNamedAndTheBodyNeverRuns() throws Exception {
        FakeStepContext ctx = repos.context();
        ctx.body = env -> {
            throw new AssertionError("the body must not run");
        };
        AbortException e = assertThrows(AbortException.class,
                () -> ctx.run(new WithGatekeeperTokenStep("nope", "app")));
        assertEquals("withGatekeeperToken: no secret-text credentials with id 'nope' (secretCredentialsId)",
                e.getMessage());
    }

    @Test
    void aShortSecretIsRefusedWithoutShowingIt() throws Exception {
        StubCredentials.put("short", "tiny-secret");
        AbortException e = assertThrows(AbortException.class,
                () -> repos.context().run(new WithGatekeeperTokenStep("short", "app")));
        assertTrue(e.getMessage().contains("shorter than 16 bytes"), e.getMessage());
        assertFalse(e.getMessage().contains("tiny-secret"), e.getMessage());
    }

    @Test
    void outsideAGitCloneACommitIsNeeded() throws Exception {
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        AbortException e = assertThrows(AbortException.class, () -> new FakeStepContext(plain, repos.git.env())
                .run(new WithGatekeeperTokenStep("gatekeeper-pipeline-secret", "app")));
        assertTrue(e.getMessage().startsWith("withGatekeeperToken: the workspace "), e.getMessage());
    }

    @Test
    void aFailingBodyFailsTheStepWithItsOwnError() throws Exception {
        FakeStepContext ctx = repos.context();
        IllegalStateException boom = new IllegalStateException("push rejected");
        ctx.body = env -> {
            throw boom;
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ctx.run(new WithGatekeeperTokenStep("gatekeeper-pipeline-secret", "app")));
        assertSame(boom, e);
    }

    @Test
    void theTokenVariablesAreDeclaredSensitive() {
        TokenEnvironment t = new TokenEnvironment(Map.of("GATEKEEPER_TOKEN", "t", "GIT_CONFIG_COUNT", "1",
                "GIT_CONFIG_KEY_0", "push.pushOption", "GIT_CONFIG_VALUE_0", "gatekeeper-token=t"));
        assertEquals(java.util.Set.of("GATEKEEPER_TOKEN", "GIT_CONFIG_VALUE_0"), t.getSensitiveVariables());
    }

    @Test
    void whatTheBodyPrintsShowsTheMaskNeverTheToken() throws Exception {
        FakeStepContext ctx = repos.context();
        ctx.loggingBody = (env, log) -> {
            String token = env.get("GATEKEEPER_TOKEN");
            log.println("+ echo " + token); // sh -x tracing 'echo $GATEKEEPER_TOKEN'
            log.println(token);
            env.forEach((k, v) -> log.println(k + "=" + v)); // sh 'env'
            log.println("plain line, nothing secret");
            log.print("no newline at the end: " + env.get("GIT_CONFIG_VALUE_0"));
            return "pushed";
        };

        assertEquals("pushed", ctx.run(new WithGatekeeperTokenStep("gatekeeper-pipeline-secret", "app")));

        String token = ctx.bodyEnv.get("GATEKEEPER_TOKEN");
        String log = ctx.log();
        assertFalse(log.contains(token), log);
        assertFalse(log.contains(token.substring(token.lastIndexOf('.') + 1)), "not even the signature: " + log);
        assertTrue(log.contains("\n+ echo ****\n****\n"), log);
        assertTrue(log.contains("\nGATEKEEPER_TOKEN=****\n"), log);
        assertTrue(log.contains("\nGIT_CONFIG_VALUE_0=gatekeeper-token=****\n"), log);
        assertTrue(log.contains("\nGIT_CONFIG_KEY_0=push.pushOption\n"), "lines without the token are unchanged: " + log);
        assertTrue(log.contains("\nplain line, nothing secret\n"), log);
        assertTrue(log.endsWith("\nno newline at the end: gatekeeper-token=****"), log);
        assertTrue(log.startsWith("[gatekeeper] pipeline token for app "), "the step's own line is unchanged: " + log);
    }

    /** What an enclosing withCredentials gives the step: a serializable filter masking its own secret. */
    static final class EnclosingFilter extends ConsoleLogFilter implements Serializable {
        private static final long serialVersionUID = 1L;

        @SuppressWarnings("rawtypes")
        @Override
        public OutputStream decorateLogger(Run build, OutputStream logger) {
            return new LineTransformationOutputStream.Delegating(logger) {
                @Override
                protected void eol(byte[] b, int len) throws IOException {
                    out.write(new String(b, 0, len, StandardCharsets.UTF_8).replace("deploy-password", "####")
                            .getBytes(StandardCharsets.UTF_8));
                }
            };
        }
    }

    @Test
    void anEnclosingFilterKeepsMaskingInsideTheBlock() throws Exception {
        FakeStepContext ctx = repos.context();
        ctx.consoleLogFilter = new EnclosingFilter();
        ctx.loggingBody = (env, log) -> {
            log.println("both: deploy-password " + env.get("GATEKEEPER_TOKEN"));
            return null;
        };

        ctx.run(new WithGatekeeperTokenStep("gatekeeper-pipeline-secret", "app"));

        String log = ctx.log();
        assertTrue(log.contains("\nboth: #### ****\n"), log);
        assertFalse(log.contains(ctx.bodyEnv.get("GATEKEEPER_TOKEN")), log);
    }

    @Test
    void aRenamedVariableIsMaskedToo() throws Exception {
        WithGatekeeperTokenStep step = new WithGatekeeperTokenStep("gatekeeper-pipeline-secret", "app");
        step.setVariable("PUSH_TOKEN");
        FakeStepContext ctx = repos.context();
        ctx.loggingBody = (env, log) -> {
            log.println("token: " + env.get("PUSH_TOKEN"));
            return null;
        };

        ctx.run(step);

        String log = ctx.log();
        assertTrue(log.contains("\ntoken: ****\n"), log);
        assertFalse(log.contains(ctx.bodyEnv.get("PUSH_TOKEN")), log);
    }
}
