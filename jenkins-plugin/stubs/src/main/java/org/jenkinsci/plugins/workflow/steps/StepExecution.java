package org.jenkinsci.plugins.workflow.steps;

import java.io.Serializable;

/** Stub of workflow-step-api's StepExecution: the running state of a step, serializable with the program. */
public abstract class StepExecution implements Serializable {

    private static final long serialVersionUID = 1L;

    private StepContext context;

    /** Deprecated in Jenkins too (the context was injected); steps pass their context. */
    @Deprecated
    protected StepExecution() {
    }

    protected StepExecution(StepContext context) {
        this.context = context;
    }

    public StepContext getContext() {
        if (context == null) {
            throw new IllegalStateException("no StepContext: pass it to the StepExecution constructor");
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
