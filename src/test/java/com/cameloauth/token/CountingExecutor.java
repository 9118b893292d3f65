package com.cameloauth.token;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs background refreshes on real threads and counts them, so tests can see how many were started and finished. */
final class CountingExecutor implements Executor, AutoCloseable {
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-refresh");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger submitted = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();

    @Override
    public void execute(Runnable task) {
        submitted.incrementAndGet();
        pool.execute(() -> {
            try {
                task.run();
            } finally {
                finished.incrementAndGet();
            }
        });
    }

    int submitted() {
        return submitted.get();
    }

    /** Whether every task submitted so far has run to its end. */
    boolean idle() {
        return finished.get() == submitted.get();
    }

    @Override
    public void close() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }
}
