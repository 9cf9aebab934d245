package org.jenkinsci.plugins.workflow.steps;

import java.io.IOException;
import java.io.Serializable;

/**
 * Stub of workflow-step-api's StepContext. Stays abstract: unit tests subclass it to provide the context objects and
 * to observe onSuccess/onFailure.
 */
public abstract class StepContext implements Serializable {

    private static final long serialVersionUID = 1L;

    public abstract <T> T get(Class<T> key) throws IOException, InterruptedException;

    public abstract void onSuccess(Object result);

    public abstract void onFailure(Throwable t);

    public abstract BodyInvoker newBodyInvoker();
}
