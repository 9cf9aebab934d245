package org.jenkinsci.plugins.workflow.steps;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stub-only (package-private, not a Jenkins class): the daemon thread pool the two non-blocking executions share,
 * as the real ones share one cached pool.
 */
final class StubExecutor {
    private static final AtomicInteger COUNT = new AtomicInteger();
    static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "stub non-blocking step execution #" + COUNT.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private StubExecutor() {
    }
}
