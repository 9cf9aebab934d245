package dev.gatekeeper.jenkins.stubs;

import hudson.EnvVars;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.steps.BodyExecution;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * Test seam, not a Jenkins class: a BodyInvoker a fake StepContext#newBodyInvoker can return. start() runs the
 * test's {@link Body} at once, on the calling thread, with the environment the step's EnvironmentExpanders give, and
 * reports its outcome to the callback as Pipeline would.
 */
public final class StubBodyInvoker extends BodyInvoker {

    /** What the block does; it receives the environment the block would see. */
    @FunctionalInterface
    public interface Body {
        Object run(EnvVars env) throws Exception;
    }

    private final StepContext context;
    private final EnvVars baseEnv;
    private final Body body;
    private final List<Object> contexts = new ArrayList<>();
    private BodyExecutionCallback callback;
    private String displayName;
    private boolean started;

    public StubBodyInvoker(StepContext context, EnvVars baseEnv, Body body) {
        this.context = context;
        this.baseEnv = baseEnv;
        this.body = body;
    }

    @Override
    public BodyInvoker withContext(Object override) {
        contexts.add(override);
        return this;
    }

    @Override
    public BodyInvoker withDisplayName(String name) {
        this.displayName = name;
        return this;
    }

    @Override
    public BodyInvoker withCallback(BodyExecutionCallback callback) {
        this.callback = callback;
        return this;
    }

    @Override
    public BodyExecution start() {
        if (started) {
            throw new IllegalStateException("body started twice");
        }
        started = true;
        if (callback == null) {
            throw new IllegalStateException("no callback: the step would never end");
        }
        callback.onStart(context);
        Object result;
        try {
            result = body.run(environment());
        } catch (Throwable t) {
            callback.onFailure(context, t);
            return new Done(null);
        }
        callback.onSuccess(context, result);
        return new Done(result);
    }

    /** The base environment expanded by every EnvironmentExpander given to withContext, in order. */
    public EnvVars environment() throws IOException, InterruptedException {
        EnvVars env = new EnvVars(baseEnv);
        for (Object o : contexts) {
            if (o instanceof EnvironmentExpander expander) {
                expander.expand(env);
            }
        }
        return env;
    }

    public List<Object> contexts() {
        return List.copyOf(contexts);
    }

    public String displayName() {
        return displayName;
    }

    public boolean started() {
        return started;
    }

    /** The body ran synchronously, so its execution is over when start() returns. */
    private static final class Done extends BodyExecution {
        private static final long serialVersionUID = 1L;
        private final transient Object result;

        Done(Object result) {
            this.result = result;
        }

        @Override
        public Collection<StepExecution> getCurrentExecutions() {
            return List.of();
        }

        @Override
        public boolean cancel(Throwable t) {
            return false;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isDone() {
            return true;
        }

        @Override
        public Object get() {
            return result;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return result;
        }
    }
}
