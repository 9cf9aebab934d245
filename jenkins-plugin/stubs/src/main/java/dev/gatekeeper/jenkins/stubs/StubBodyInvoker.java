package dev.gatekeeper.jenkins.stubs;

import hudson.EnvVars;
import hudson.console.ConsoleLogFilter;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
 * <p>A {@link LoggingBody} also gets the block's log: the context's TaskListener decorated by the ConsoleLogFilter
 * given to withContext (the last one: Pipeline keeps one object per type, a step merges the enclosing one itself),
 * as Pipeline decorates the log of every step inside the block. The filter first makes a Java serialization round
 * trip, as it does in Jenkins (saved with the program, sent to the agent for {@code sh}); the log is closed when the
 * body ends, so a last line without a newline is filtered too.
 */
public final class StubBodyInvoker extends BodyInvoker {

    /** What the block does; it receives the environment the block would see. */
    @FunctionalInterface
    public interface Body {
        Object run(EnvVars env) throws Exception;
    }

    /** A block that also writes to its log, as {@code sh 'echo …'} or {@code echo} inside it would. */
    @FunctionalInterface
    public interface LoggingBody {
        Object run(EnvVars env, PrintStream log) throws Exception;
    }

    private final StepContext context;
    private final EnvVars baseEnv;
    private final LoggingBody body;
    private final List<Object> contexts = new ArrayList<>();
    private BodyExecutionCallback callback;
    private String displayName;
    private boolean started;

    public StubBodyInvoker(StepContext context, EnvVars baseEnv, Body body) {
        this(context, baseEnv, (env, log) -> body.run(env));
    }

    public StubBodyInvoker(StepContext context, EnvVars baseEnv, LoggingBody body) {
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
        try (PrintStream log = log()) {
            result = body.run(environment(), log);
        } catch (Throwable t) {
            callback.onFailure(context, t);
            return new Done(null);
        }
        callback.onSuccess(context, result);
        return new Done(result);
    }

    /** The block's log: the context's listener (or nowhere, without one) through the block's ConsoleLogFilter. */
    private PrintStream log() throws IOException, InterruptedException {
        TaskListener listener = context.get(TaskListener.class);
        OutputStream out = listener == null ? OutputStream.nullOutputStream()
                : new FilterOutputStream(listener.getLogger()) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        this.out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        flush(); // the build's log stays open after the block
                    }
                };
        ConsoleLogFilter filter = consoleLogFilter();
        if (filter != null) {
            out = filter.decorateLogger((Run<?, ?>) null, out);
        }
        return new PrintStream(out, true, StandardCharsets.UTF_8);
    }

    /** The last ConsoleLogFilter given to withContext, after a serialization round trip; null if none. */
    public ConsoleLogFilter consoleLogFilter() throws IOException {
        ConsoleLogFilter filter = null;
        for (Object o : contexts) {
            if (o instanceof ConsoleLogFilter f) {
                filter = f;
            }
        }
        if (filter == null) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(filter);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (ConsoleLogFilter) in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException(e);
        }
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
