package org.jenkinsci.plugins.workflow.steps;

import com.google.common.util.concurrent.FutureCallback;
import java.io.Serializable;

/** Stub of workflow-step-api's BodyExecutionCallback. */
public abstract class BodyExecutionCallback implements Serializable {

    private static final long serialVersionUID = 1L;

    public void onStart(StepContext context) {
    }

    public abstract void onSuccess(StepContext context, Object result);

    public abstract void onFailure(StepContext context, Throwable t);

    /**
     * Passes the body's outcome on to {@code v}; with the step's own StepContext the step ends as its body ended.
     * Like the real one, refuses a callback that could not be saved with the program.
     */
    public static BodyExecutionCallback wrap(FutureCallback<Object> v) {
        return v instanceof BodyExecutionCallback ? (BodyExecutionCallback) v : new Wrapper(v);
    }

    private static final class Wrapper extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L;
        private final FutureCallback<Object> delegate;

        Wrapper(FutureCallback<Object> delegate) {
            if (!(delegate instanceof Serializable)) {
                throw new IllegalArgumentException(delegate.getClass() + " is not serializable");
            }
            this.delegate = delegate;
        }

        @Override
        public void onSuccess(StepContext context, Object result) {
            delegate.onSuccess(result);
        }

        @Override
        public void onFailure(StepContext context, Throwable t) {
            delegate.onFailure(t);
        }
    }

    /** A callback that runs one last action when the body ends, whatever the outcome, then ends the step. */
    public abstract static class TailCall extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L;

        protected abstract void finished(StepContext context) throws Exception;

        @Override
        public final void onSuccess(StepContext context, Object result) {
            try {
                finished(context);
            } catch (Exception x) {
                context.onFailure(x);
                return;
            }
            context.onSuccess(result);
        }

        @Override
        public final void onFailure(StepContext context, Throwable t) {
            try {
                finished(context);
            } catch (Exception x) {
                t.addSuppressed(x);
            }
            context.onFailure(t);
        }
    }
}
