package org.jenkinsci.plugins.workflow.steps;

import hudson.ExtensionPoint;
import hudson.model.AbstractDescribableImpl;

/** Stub of workflow-step-api's Step: a configured step, which starts an execution. */
@SuppressWarnings("deprecation") // the real Step still extends AbstractDescribableImpl, deprecated since Jenkins 2.505
public abstract class Step extends AbstractDescribableImpl<Step> implements ExtensionPoint {

    public abstract StepExecution start(StepContext context) throws Exception;

    @Override
    public StepDescriptor getDescriptor() {
        return (StepDescriptor) super.getDescriptor();
    }
}
