package org.jenkinsci.plugins.workflow.steps;

/** Stub of workflow-step-api's BodyInvoker: schedules the block of a block-scoped step. */
public abstract class BodyInvoker {

    public abstract BodyInvoker withContext(Object override);

    public abstract BodyInvoker withContexts(Object... overrides);

    public abstract BodyInvoker withCallback(BodyExecutionCallback callback);

    public abstract BodyInvoker withDisplayName(String name);

    public abstract BodyExecution start();
}
