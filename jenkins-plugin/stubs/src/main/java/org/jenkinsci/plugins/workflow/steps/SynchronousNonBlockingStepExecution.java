package org.jenkinsci.plugins.workflow.steps;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Stub of workflow-step-api's SynchronousNonBlockingStepExecution: run() happens on another thread and its outcome
 * goes to the context's onSuccess/onFailure, which is what a unit test's fake context observes.
 */
public abstract class SynchronousNonBlockingStepExecution<T> extends StepExecution {

    private static final long serialVersionUID = 1L;

    private transient volatile Future<?> task;

    protected SynchronousNonBlockingStepExecution(StepContext context) {
        super(context);
    }

    protected abstract T run() throws Exception;

    @Override
    public final boolean start() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "stub SynchronousNonBlockingStepExecution");
            t.setDaemon(true);
            return t;
        });
        try {
            task = executor.submit(() -> {
                try {
                    getContext().onSuccess(run());
                } catch (Throwable t) {
                    getContext().onFailure(t);
                }
            });
        } finally {
            executor.shutdown();
        }
        return false;
    }

    @Override
    public void stop(Throwable cause) throws Exception {
        Future<?> running = task;
        if (running != null) {
            running.cancel(true);
        }
        super.stop(cause);
    }

    @Override
    public void onResume() {
        getContext().onFailure(new Exception("Resume after a restart not supported for non-blocking synchronous steps"));
    }
}
