package dev.gatekeeper.jenkins;

import dev.gatekeeper.jenkins.stubs.StubBodyInvoker;
import dev.gatekeeper.jenkins.stubs.StubRun;
import dev.gatekeeper.jenkins.stubs.StubTaskListener;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.console.ConsoleLogFilter;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * What Pipeline gives a step, for unit tests: a workspace, a log, a build and its environment. A block step's body
 * is a Java function of the environment the body would see; the step's outcome is what it reports through
 * onSuccess/onFailure, as with the real context.
 */
final class FakeStepContext extends StepContext {
    private static final long serialVersionUID = 1L;

    final transient Path workspace;
    final transient StubTaskListener listener = new StubTaskListener();
    final transient EnvVars env;
    final transient StubRun run;
    transient StubBodyInvoker.Body body = env -> null;
    /** If set, the body instead: it also writes to the block's log (through the block's ConsoleLogFilter). */
    transient StubBodyInvoker.LoggingBody loggingBody;
    /** The ConsoleLogFilter of the context the step runs in (an enclosing withCredentials, say); none by default. */
    transient ConsoleLogFilter consoleLogFilter;
    /** The environment the body saw (after the step's expanders), once it ran. */
    transient volatile EnvVars bodyEnv;
    private final transient CompletableFuture<Object> outcome = new CompletableFuture<>();

    FakeStepContext(Path workspace, Map<String, String> env) throws IOException {
        this.workspace = workspace;
        this.env = new EnvVars(env);
        this.run = new StubRun("team/app", 7);
    }

    @Override
    public <T> T get(Class<T> key) {
        Object v = key == FilePath.class ? new FilePath(workspace.toFile())
                : key == TaskListener.class ? listener
                : key == Run.class ? run
                : key == EnvVars.class ? new EnvVars(env)
                : key == ConsoleLogFilter.class ? consoleLogFilter
                : null;
        return key.cast(v);
    }

    @Override
    public void onSuccess(Object result) {
        outcome.complete(result);
    }

    @Override
    public void onFailure(Throwable t) {
        outcome.completeExceptionally(t);
    }

    @Override
    public BodyInvoker newBodyInvoker() {
        return new StubBodyInvoker(this, env, (seen, log) -> {
            bodyEnv = seen;
            return loggingBody != null ? loggingBody.run(seen, log) : body.run(seen);
        });
    }

    /** Starts the step and waits for its outcome: the value, or the failure it reported, rethrown. */
    Object run(Step step) throws Exception {
        StepExecution e = step.start(this);
        if (e.start()) {
            throw new AssertionError("these steps finish asynchronously");
        }
        try {
            return outcome.get(120, TimeUnit.SECONDS);
        } catch (ExecutionException x) {
            if (x.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw x;
        }
    }

    String log() {
        return listener.text();
    }
}
