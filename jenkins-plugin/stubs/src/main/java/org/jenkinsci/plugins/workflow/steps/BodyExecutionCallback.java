package org.jenkinsci.plugins.workflow.steps;

import java.io.Serializable;

/** Stub of workflow-step-api's BodyExecutionCallback. */
public abstract class BodyExecutionCallback implements Serializable {

    private static final long serialVersionUID = 1L;

    public void onStart(StepContext context) {
    }

    public abstract void onSuccess(StepContext context, Object result);

    public abstract void onFailure(StepContext context, Throwable t);

    /** A callback that passes the body's outcome on to the given context: the step ends as its body ended. */
    public static BodyExecutionCallback wrap(StepContext c) {
        return new Wrapper(c);
    }

    private static final class Wrapper extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L;
        private final StepContext delegate;

        Wrapper(StepContext delegate) {
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
