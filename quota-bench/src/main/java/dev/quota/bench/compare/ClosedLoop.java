package dev.quota.bench.compare;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A bounded closed-loop load: N threads each run one operation after the other, for a warm-up and then a
 * measured period of fixed length; an operation counts (and its latency is kept) when it started inside the
 * measured period. A {@link Window} is told when the measured period starts and ends, so that it can read
 * counters at exactly those moments while the threads keep running. The first exception of any thread ends the
 * run and is rethrown.
 */
public final class ClosedLoop {

    /** One operation of a case. */
    @FunctionalInterface
    public interface Operation {
        /**
         * @param user the user of this operation
         * @param thread the calling thread's index, 0 to threads - 1
         * @param sequence the calling thread's operation count, from 0 (unique per thread with {@code thread})
         * @return true when the operation was allowed (every limit of the workload is meant to allow it)
         */
        boolean run(int user, int thread, long sequence);
    }

    /** Called on the controlling thread when the measured period starts and when it ends. */
    public interface Window {
        /** The measured period starts now. */
        void opened();

        /** The measured period ended now. */
        void closed();
    }

    /**
     * What the measured period produced.
     *
     * @param ops operations started in the measured period
     * @param denied those of them that were not allowed
     * @param seconds the length of the measured period
     * @param p50Micros median latency, µs
     * @param p99Micros 99th percentile latency, µs
     * @param p999Micros 99.9th percentile latency, µs
     * @param loadAverage the machine's one-minute load average at the end of the measured period
     */
    public record Result(long ops, long denied, double seconds, double p50Micros, double p99Micros,
                         double p999Micros, double loadAverage) {
        /** @return operations per second */
        public double opsPerSecond() {
            return ops / seconds;
        }
    }

    private static final int MAX_SAMPLES_PER_THREAD = 4_000_000;

    private ClosedLoop() {
    }

    /**
     * Runs the load.
     *
     * @param threads how many client threads
     * @param users how many users the operations are spread over uniformly (1 = every operation on user 1)
     * @param warmupMillis the warm-up, not measured
     * @param measureMillis the measured period
     * @param operation the operation
     * @param window told when the measured period starts and ends
     * @return the figures of the measured period
     * @throws IllegalStateException when an operation threw (the cause)
     */
    public static Result run(int threads, int users, long warmupMillis, long measureMillis, Operation operation,
                             Window window) {
        long[][] samples = new long[threads][];
        int[] sizes = new int[threads];
        long[] denied = new long[threads];
        long[] measured = new long[threads];
        CountDownLatch failed = new CountDownLatch(1);
        AtomicReference<Throwable> error = new AtomicReference<>();
        Phase phase = new Phase();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int index = t;
            workers[t] = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(7919L * (index + 1));
                long[] mine = new long[1 << 16];
                int size = 0;
                long sequence = 0;
                try {
                    while (true) {
                        int p = phase.value;
                        if (p == Phase.STOP) {
                            break;
                        }
                        int user = users == 1 ? 1 : 1 + random.nextInt(users);
                        long start = System.nanoTime();
                        boolean allowed = operation.run(user, index, sequence++);
                        long took = System.nanoTime() - start;
                        if (p == Phase.MEASURE) {
                            measured[index]++;
                            if (!allowed) {
                                denied[index]++;
                            }
                            if (size < MAX_SAMPLES_PER_THREAD) {
                                if (size == mine.length) {
                                    mine = Arrays.copyOf(mine, mine.length * 2);
                                }
                                mine[size++] = took;
                            }
                        }
                    }
                } catch (Throwable e) {
                    error.compareAndSet(null, e);
                    failed.countDown();
                } finally {
                    samples[index] = mine;
                    sizes[index] = size;
                }
            }, "closed-loop-" + t);
            workers[t].setDaemon(true);
        }
        for (Thread w : workers) {
            w.start();
        }
        long started;
        long ended = 0;
        double load = Double.NaN;
        boolean opened = false;
        try {
            waitOrFail(failed, warmupMillis);
            window.opened();
            opened = true;
            started = System.nanoTime();
            phase.value = Phase.MEASURE;
            waitOrFail(failed, measureMillis);
            phase.value = Phase.STOP;
            ended = System.nanoTime();
            window.closed();
            load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        } finally {
            phase.value = Phase.STOP;
            for (Thread w : workers) {
                joinUninterruptibly(w);
            }
        }
        if (error.get() != null) {
            throw new IllegalStateException("an operation failed: " + error.get(), error.get());
        }
        if (!opened) {
            throw new IllegalStateException("the run did not reach its measured period");
        }
        int total = 0;
        for (int s : sizes) {
            total += s;
        }
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(samples[t], 0, all, at, sizes[t]);
            at += sizes[t];
        }
        Arrays.sort(all);
        return new Result(Arrays.stream(measured).sum(), Arrays.stream(denied).sum(), (ended - started) / 1e9,
                percentile(all, 0.50), percentile(all, 0.99), percentile(all, 0.999), load);
    }

    private static void waitOrFail(CountDownLatch failed, long millis) {
        try {
            failed.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @param sorted latencies in ns, sorted ascending
     * @param q the quantile, 0 to 1
     * @return the latency at that quantile (nearest rank), µs; NaN when there are no samples
     */
    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))] / 1000.0;
    }

    /** The shared phase flag of one run. */
    private static final class Phase {
        static final int WARM = 0;
        static final int MEASURE = 1;
        static final int STOP = 2;
        volatile int value = WARM;
    }
}
