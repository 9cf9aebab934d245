package dev.gatekeeper.jenkins.stubs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.google.common.util.concurrent.FutureCallback;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import jenkins.MasterToSlaveFileCallable;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.GeneralNonBlockingStepExecution;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stubs behave enough like Pipeline for the plugin's unit tests to mean something. */
class StubsBehaviourTest {

    @TempDir
    Path dir;

    @AfterEach
    void forget() {
        StubCredentials.clear();
    }

    static final class Returns extends SynchronousNonBlockingStepExecution<String> {
        private static final long serialVersionUID = 1L;
        private final transient String value;

        Returns(StepContext context, String value) {
            super(context);
            this.value = value;
        }

        @Override
        protected String run() throws Exception {
            if (value == null) {
                throw new AbortException("nothing to return");
            }
            return value + " on " + Thread.currentThread().getName();
        }
    }

    @Test
    void synchronousNonBlockingRunsOffTheCallerAndReportsTheOutcome() throws Exception {
        FakeContext ok = new FakeContext();
        assertFalse(new Returns(ok, "hi").start(), "the step is not over when start returns");
        String result = (String) ok.await();
        assertTrue(result.startsWith("hi on stub non-blocking step execution"), result);

        FakeContext failing = new FakeContext();
        new Returns(failing, null).start();
        ExecutionException e = assertThrows(ExecutionException.class, failing::await);
        assertInstanceOf(AbortException.class, e.getCause());
        assertEquals("nothing to return", e.getCause().getMessage());
    }

    static final class LogsOnTheAgent extends MasterToSlaveFileCallable<String> {
        private static final long serialVersionUID = 1L;
        private final TaskListener listener;

        LogsOnTheAgent(TaskListener listener) {
            this.listener = listener;
        }

        @Override
        public String invoke(File f, VirtualChannel channel) {
            listener.getLogger().println("[gatekeeper] working in " + f.getName());
            return "done";
        }
    }

    @Test
    void aListenerCarriedIntoActLogsIntoTheSameLog() throws Exception {
        StubTaskListener listener = new StubTaskListener();
        listener.getLogger().println("before");
        assertEquals("done", new FilePath(dir.toFile()).act(new LogsOnTheAgent(listener)));
        assertEquals("before\n[gatekeeper] working in " + dir.toFile().getName() + "\n",
                listener.text().replace("\r\n", "\n"));
    }

    @Test
    void credentialsComeFromTheStubRegistryAndAreTracked() throws Exception {
        StubRun run = new StubRun("team/app", 7);
        assertEquals("team/app#7", run.getExternalizableId());
        StubCredentials.put("gk-secret", "s3cr3t");

        StringCredentials c = CredentialsProvider.findCredentialById(" gk-secret ", StringCredentials.class, run);
        assertEquals("s3cr3t", c.getSecret().getPlainText());
        assertSame(c, CredentialsProvider.track(run, c));
        assertEquals(1, StubCredentials.trackedCredentials().size());

        assertNull(CredentialsProvider.findCredentialById("other", StringCredentials.class, run));
        assertThrows(NullPointerException.class,
                () -> CredentialsProvider.findCredentialById("gk-secret", StringCredentials.class, null));
    }

    /** The shape of withGatekeeperToken: mint off the CPS thread, then run the body with more environment. */
    static final class WithVariable extends GeneralNonBlockingStepExecution {
        private static final long serialVersionUID = 1L;

        WithVariable(StepContext context) {
            super(context);
        }

        @Override
        public boolean start() {
            run(() -> {
                EnvironmentExpander previous = getContext().get(EnvironmentExpander.class);
                getContext().newBodyInvoker()
                        .withContext(EnvironmentExpander.merge(previous,
                                EnvironmentExpander.constant(Map.of("GATEKEEPER_TOKEN", "tok"))))
                        .withCallback(BodyExecutionCallback.wrap(getContext()))
                        .start();
            });
            return false;
        }
    }

    @Test
    void aBlockStepGivesItsBodyTheMergedEnvironmentAndEndsAsTheBodyEnds() throws Exception {
        FakeContext context = new FakeContext();
        context.with(EnvironmentExpander.class, EnvironmentExpander.constant(Map.of("GIT_CONFIG_COUNT", "1")));
        context.bodyInvokers = c -> new StubBodyInvoker(c, new EnvVars("PATH", "/bin"),
                env -> env.get("GATEKEEPER_TOKEN") + "," + env.get("GIT_CONFIG_COUNT") + "," + env.get("path"));
        new WithVariable(context).start();
        assertEquals("tok,1,/bin", context.await());

        FakeContext failing = new FakeContext();
        failing.bodyInvokers = c -> new StubBodyInvoker(c, new EnvVars(), env -> {
            throw new AbortException("script returned exit code 1");
        });
        new WithVariable(failing).start();
        ExecutionException e = assertThrows(ExecutionException.class, failing::await);
        assertEquals("script returned exit code 1", e.getCause().getMessage());
    }

    @Test
    void wrapRefusesACallbackThatCannotBeSaved() {
        FutureCallback<Object> notSerializable = new FutureCallback<>() {
            @Override
            public void onSuccess(Object result) {
            }

            @Override
            public void onFailure(Throwable t) {
            }
        };
        assertThrows(IllegalArgumentException.class, () -> BodyExecutionCallback.wrap(notSerializable));
    }

    @Test
    void envVarsLikeJenkins() {
        EnvVars env = new EnvVars("Path", "/bin");
        env.override("PATH+GIT", "/git/bin");
        assertEquals("/git/bin" + File.pathSeparatorChar + "/bin", env.get("PATH"));
        env.override("PATH", "");
        assertFalse(env.containsKey("path"));
        assertThrows(IllegalArgumentException.class, () -> env.put("X", null));
    }
}
