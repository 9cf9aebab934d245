package org.jenkinsci.plugins.workflow.steps;

import java.io.Serializable;
import java.util.Collection;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;

/** Stub of workflow-step-api's BodyExecution: the handle BodyInvoker#start returns. */
public abstract class BodyExecution implements Future<Object>, Serializable {

    private static final long serialVersionUID = 1L;

    public abstract Collection<StepExecution> getCurrentExecutions();

    @Deprecated
    @Override
    public boolean cancel(boolean b) {
        return cancel(new CancellationException("body cancelled"));
    }

    /** Subclasses override this (the real one fails the same way when it is not overridden). */
    public boolean cancel(Throwable t) {
        throw new AbstractMethodError("Override cancel(Throwable) from " + getClass());
    }
}
