package org.jenkinsci.plugins.workflow.steps;

import java.io.Serializable;

/** Stub of workflow-step-api's StepExecution: the running state of a step, serializable with the program. */
public abstract class StepExecution implements Serializable {

    private static final long serialVersionUID = 1L;

    private final StepContext context;

    protected StepExecution() {
        this.context = null;
    }

    protected StepExecution(StepContext context) {
        this.context = context;
    }

    public StepContext getContext() {
        if (context == null) {
            throw new IllegalStateException("you must either pass in a StepContext to the StepExecution constructor or override getContext()");
        }
        return context;
    }

    public abstract boolean start() throws Exception;

    public void stop(Throwable cause) throws Exception {
        getContext().onFailure(cause);
    }

    public void onResume() {
    }

    public String getStatus() {
        return null;
    }
}
