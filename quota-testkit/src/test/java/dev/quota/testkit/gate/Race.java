package dev.quota.testkit.gate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs a body on many threads at once: all start on one signal; waits for every one (60 s at most each). */
final class Race {

    /** What each thread runs, given its number (0 to threads - 1). */
    @FunctionalInterface
    interface Body {
        void run(int thread) throws Exception;
    }

    private Race() {
    }

    /** Runs {@code body} on {@code threads} threads released together; rethrows the first failure. */
    static void run(int threads, Body body) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    body.run(thread);
                    return null;
                }));
            }
            start.countDown();
            for (Future<Void> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
