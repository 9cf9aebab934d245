package org.jenkinsci.plugins.workflow.steps;

import java.util.concurrent.Future;

/**
 * Stub of workflow-step-api's GeneralNonBlockingStepExecution: run(Block) executes the block on a pool thread and
 * reports an exception it throws to the context's onFailure (unless the step was stopped). Success is the block's
 * business (typically it starts the body with BodyExecutionCallback.wrap(getContext())).
 */
public abstract class GeneralNonBlockingStepExecution extends StepExecution {

    private static final long serialVersionUID = 1L;

    private transient volatile Future<?> task;
    private transient volatile Throwable stopCause;

    protected GeneralNonBlockingStepExecution(StepContext context) {
        super(context);
    }

    /** Code to run off the CPS VM thread. */
    @FunctionalInterface
    protected interface Block {
        void run() throws Exception;
    }

    protected final void run(Block block) {
        if (stopCause != null) {
            return;
        }
        task = StubExecutor.POOL.submit(() -> {
            try {
                block.run();
            } catch (Throwable x) {
                if (stopCause == null) {
                    getContext().onFailure(x);
                } else {
                    stopCause.addSuppressed(x);
                }
            } finally {
                task = null;
            }
        });
    }

    @Override
    public void stop(Throwable cause) throws Exception {
        stopCause = cause;
        Future<?> running = task;
        if (running != null) {
            running.cancel(true);
        }
        super.stop(cause);
    }
}
