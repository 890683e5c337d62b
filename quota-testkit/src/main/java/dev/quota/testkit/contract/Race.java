package dev.quota.testkit.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a bounded amount of work on many threads released together by a start gate, and rethrows the first
 * failure. The timeouts are safety bounds so that a deadlock fails the test instead of hanging the build;
 * they are never assertions on speed.
 */
final class Race {

    /** Threads used by the concurrency tests. */
    static final int THREADS = 32;
    /** Operations per thread used by the concurrency tests. */
    static final int OPS = 50;

    private static final long SAFETY_BOUND_SECONDS = 60;

    /** One operation of one thread. */
    @FunctionalInterface
    interface Task {
        void run(int thread, int op) throws Exception;
    }

    private Race() {
    }

    /** Runs {@code task} for {@link #OPS} operations on each of {@link #THREADS} threads. */
    static void run(Task task) {
        run(THREADS, OPS, task);
    }

    static void run(int threads, int opsPerThread, Task task) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    if (!start.await(SAFETY_BOUND_SECONDS, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("start gate never opened");
                    }
                    for (int op = 0; op < opsPerThread; op++) {
                        task.run(thread, op);
                    }
                    return null;
                }));
            }
            if (!ready.await(SAFETY_BOUND_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("threads did not start");
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(SAFETY_BOUND_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new AssertionError(cause);
        } catch (TimeoutException e) {
            throw new AssertionError("concurrent work did not finish within the safety bound", e);
        } finally {
            pool.shutdownNow();
            try {
                if (!pool.awaitTermination(SAFETY_BOUND_SECONDS, TimeUnit.SECONDS)) {
                    throw new AssertionError("worker threads did not terminate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
