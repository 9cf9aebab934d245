package org.jenkinsci.plugins.workflow.steps;

import hudson.ExtensionPoint;
import hudson.model.AbstractDescribableImpl;

/** Stub of workflow-step-api's Step: a configured step, which starts an execution. */
public abstract class Step extends AbstractDescribableImpl<Step> implements ExtensionPoint {

    public abstract StepExecution start(StepContext context) throws Exception;

    @Override
    public StepDescriptor getDescriptor() {
        return (StepDescriptor) super.getDescriptor();
    }
}
