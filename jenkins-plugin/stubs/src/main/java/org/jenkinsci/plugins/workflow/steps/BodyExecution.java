package org.jenkinsci.plugins.workflow.steps;

import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Future;

/** Stub of workflow-step-api's BodyExecution: the handle BodyInvoker#start returns. */
public abstract class BodyExecution implements Future<List<Object>>, Serializable {

    private static final long serialVersionUID = 1L;

    public abstract Collection<StepExecution> getCurrentExecutions();

    public abstract boolean cancel(Throwable t);
}
