package org.jenkinsci.plugins.workflow.steps;

import com.google.common.util.concurrent.FutureCallback;
import java.io.IOException;
import java.io.Serializable;

/**
 * Stub of workflow-step-api's StepContext. Stays abstract: unit tests subclass it to provide the context objects
 * (get) and to observe the outcome (onSuccess/onFailure, inherited from FutureCallback as in the real class).
 */
public abstract class StepContext implements FutureCallback<Object>, Serializable {

    private static final long serialVersionUID = 1L;

    public abstract <T> T get(Class<T> key) throws IOException, InterruptedException;

    @Override
    public abstract void onSuccess(Object result);

    public abstract BodyInvoker newBodyInvoker() throws IllegalStateException;

    public boolean hasBody() {
        try {
            newBodyInvoker();
            return true;
        } catch (IllegalStateException x) {
            return false;
        }
    }
}
