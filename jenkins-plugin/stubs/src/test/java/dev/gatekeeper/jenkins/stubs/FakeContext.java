package dev.gatekeeper.jenkins.stubs;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/** The kind of fake StepContext the plugin's tests write: context objects by type, and the step's outcome. */
final class FakeContext extends StepContext {
    private static final long serialVersionUID = 1L;

    final transient Map<Class<?>, Object> objects = new HashMap<>();
    final transient CompletableFuture<Object> outcome = new CompletableFuture<>();
    transient Function<StepContext, BodyInvoker> bodyInvokers;

    FakeContext with(Class<?> type, Object value) {
        objects.put(type, value);
        return this;
    }

    @Override
    public <T> T get(Class<T> key) {
        return key.cast(objects.get(key));
    }

    @Override
    public void onSuccess(Object result) {
        outcome.complete(result);
    }

    @Override
    public void onFailure(Throwable t) {
        outcome.completeExceptionally(t);
    }

    @Override
    public BodyInvoker newBodyInvoker() {
        if (bodyInvokers == null) {
            throw new IllegalStateException("no body");
        }
        return bodyInvokers.apply(this);
    }

    Object await() throws Exception {
        return outcome.get(10, TimeUnit.SECONDS);
    }
}
