package org.jenkinsci.plugins.workflow.steps;

import com.google.common.util.concurrent.FutureCallback;
import java.util.Arrays;
import java.util.Collection;

/** Stub of workflow-step-api's BodyInvoker: schedules the block of a block-scoped step. */
public abstract class BodyInvoker {

    public abstract BodyInvoker withContext(Object override);

    public BodyInvoker withContexts(Object... overrides) {
        return withContexts(Arrays.asList(overrides));
    }

    public BodyInvoker withContexts(Collection<?> overrides) {
        for (Object o : overrides) {
            withContext(o);
        }
        return this;
    }

    public abstract BodyInvoker withDisplayName(String name);

    public abstract BodyInvoker withCallback(BodyExecutionCallback callback);

    public final BodyInvoker withCallback(FutureCallback<Object> callback) {
        return withCallback(BodyExecutionCallback.wrap(callback));
    }

    public abstract BodyExecution start();
}
