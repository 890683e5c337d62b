package dev.quota.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs one task on many threads released together by a barrier, for the concurrency tests of the adapters. The
 * timeouts are safety bounds, so that a deadlock fails the test instead of hanging the build; they are never
 * assertions on speed.
 */
public final class Threads {

    private static final long SAFETY_BOUND_SECONDS = 120;

    /**
     * What each thread runs.
     *
     * @param <T> the result of one thread
     */
    @FunctionalInterface
    public interface Task<T> {
        /**
         * @param thread the thread's number, 0 to threads - 1
         * @return the thread's result
         * @throws Exception a failure, rethrown by {@link #race} wrapped in an {@link java.util.concurrent.ExecutionException}
         */
        T run(int thread) throws Exception;
    }

    private Threads() {
    }

    /**
     * Runs {@code task} on {@code threads} threads that all start together, and waits for every one.
     *
     * @param threads how many threads
     * @param task what each runs
     * @param <T> the result of one thread
     * @return the results in thread order (the result of thread {@code i} at index {@code i})
     * @throws Exception the first failure of a thread (an {@link java.util.concurrent.ExecutionException}), or a
     *         timeout of the safety bound
     */
    public static <T> List<T> race(int threads, Task<T> task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int thread = i;
                futures.add(pool.submit(() -> {
                    start.await(SAFETY_BOUND_SECONDS, TimeUnit.SECONDS);
                    return task.run(thread);
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(SAFETY_BOUND_SECONDS, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
