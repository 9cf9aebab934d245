package org.jenkinsci.plugins.workflow.steps;

import hudson.model.Descriptor;
import java.util.Collections;
import java.util.Set;

/** Stub of workflow-step-api's StepDescriptor. */
public abstract class StepDescriptor extends Descriptor<Step> {

    public abstract Set<? extends Class<?>> getRequiredContext();

    public Set<? extends Class<?>> getProvidedContext() {
        return Collections.emptySet();
    }

    public abstract String getFunctionName();

    public boolean takesImplicitBlockArgument() {
        return false;
    }
}
