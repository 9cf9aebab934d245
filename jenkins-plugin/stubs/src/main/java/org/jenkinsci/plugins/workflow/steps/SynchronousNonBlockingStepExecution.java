package org.jenkinsci.plugins.workflow.steps;

import java.util.concurrent.Future;

/**
 * Stub of workflow-step-api's SynchronousNonBlockingStepExecution: start() returns at once and run() happens on a
 * pool thread; its value goes to the context's onSuccess, its exception to onFailure (unless the step was stopped),
 * which is what a unit test's fake context observes.
 */
public abstract class SynchronousNonBlockingStepExecution<T> extends StepExecution {

    private static final long serialVersionUID = 1L;

    private transient volatile Future<?> task;
    private transient volatile Throwable stopCause;

    protected SynchronousNonBlockingStepExecution(StepContext context) {
        super(context);
    }

    protected abstract T run() throws Exception;

    @Override
    public final boolean start() throws Exception {
        task = StubExecutor.POOL.submit(() -> {
            try {
                getContext().onSuccess(run());
            } catch (Throwable x) {
                if (stopCause == null) {
                    getContext().onFailure(x);
                } else {
                    stopCause.addSuppressed(x);
                }
            }
        });
        return false;
    }

    @Override
    public void stop(Throwable cause) throws Exception {
        if (task != null) {
            stopCause = cause;
            task.cancel(true);
        }
        super.stop(cause);
    }

    @Override
    public void onResume() {
        getContext().onFailure(new Exception("resuming a synchronous non-blocking step after a restart is not supported"));
    }
}
