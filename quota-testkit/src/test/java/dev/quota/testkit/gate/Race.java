package dev.quota.testkit.gate;

import dev.quota.testkit.Threads;

/** Runs a body on many threads at once ({@link Threads#race}), for bodies without a result. */
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
        Threads.race(threads, thread -> {
            body.run(thread);
            return null;
        });
    }
}
