package org.jenkinsci.plugins.workflow.steps;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Stub of workflow-step-api's GeneralNonBlockingStepExecution: run(Block) executes the block on another thread and
 * reports a thrown exception to the context's onFailure.
 */
public abstract class GeneralNonBlockingStepExecution extends StepExecution {

    private static final long serialVersionUID = 1L;

    protected GeneralNonBlockingStepExecution(StepContext context) {
        super(context);
    }

    /** Code to run off the CPS VM thread. */
    @FunctionalInterface
    protected interface Block {
        void run() throws Exception;
    }

    protected final void run(Block block) {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "stub GeneralNonBlockingStepExecution");
            t.setDaemon(true);
            return t;
        });
        try {
            executor.submit(() -> {
                try {
                    block.run();
                } catch (Throwable t) {
                    getContext().onFailure(t);
                }
            });
        } finally {
            executor.shutdown();
        }
    }
}
