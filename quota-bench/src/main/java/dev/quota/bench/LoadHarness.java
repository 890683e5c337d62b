package dev.quota.bench;

import dev.quota.core.BillingGate;
import dev.quota.core.Decision;
import dev.quota.core.CheckRequest;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded load run: N threads send requests (spread over {@link Workload#USERS} users) through
 * {@code check} and, when allowed, {@code record} to a gate on embedded Redis with the in-memory stores as the
 * SQL side ({@link RedisEnvironment}), then it prints throughput, latency percentiles (p50 / p99 / p99.9 /
 * max, from every recorded sample, sorted) and the heap used before and after. It stops by itself after a
 * fixed number of requests or a fixed number of seconds.
 *
 * <pre>
 * java -cp quota-bench/target/benchmarks.jar dev.quota.bench.LoadHarness --threads 4 --requests 50000
 * </pre>
 *
 * Arguments: {@code --threads N} (default 4), {@code --requests N} (default 50,000; measured requests after the
 * warm-up), {@code --seconds S} (instead of {@code --requests}: run for S seconds), {@code --warmup N}
 * (unmeasured requests first, default a fifth of {@code --requests}, at most 20,000).
 *
 * <p>Nothing is asserted: the figures are printed for a human to read. Memory is measured with
 * {@link Runtime} after a requested GC, so it is indicative only; the in-memory usage sink keeps every
 * recorded event, which shows up as retained heap.
 */
public final class LoadHarness {

    private LoadHarness() {
    }

    /** The parsed command line. */
    private record Options(int threads, long requests, long seconds, long warmup) {

        static Options parse(String[] args) {
            int threads = 4;
            long requests = 50_000;
            long seconds = 0;
            long warmup = -1;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String value;
                int eq = arg.indexOf('=');
                if (eq > 0) {
                    value = arg.substring(eq + 1);
                    arg = arg.substring(0, eq);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException("missing value for " + arg);
                }
                switch (arg) {
                    case "--threads" -> threads = (int) positive(arg, value, 1024);
                    case "--requests" -> requests = positive(arg, value, 1_000_000_000L);
                    case "--seconds" -> seconds = positive(arg, value, 86_400);
                    case "--warmup" -> warmup = number(arg, value, 0, 1_000_000_000L);
                    default -> throw new IllegalArgumentException("unknown argument " + arg
                            + " (known: --threads N, --requests N, --seconds S, --warmup N)");
                }
            }
            if (warmup < 0) {
                warmup = Math.min(20_000, requests / 5);
            }
            return new Options(threads, requests, seconds, warmup);
        }

        private static long positive(String name, String value, long max) {
            return number(name, value, 1, max);
        }

        private static long number(String name, String value, long min, long max) {
            return OptionValues.whole(name, value, min, max);
        }
    }

    /** A growable array of latency samples, one per thread. */
    private static final class Samples {
        long[] values;
        int size;

        Samples(int capacity) {
            values = new long[Math.max(16, capacity)];
        }

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[size++] = v;
        }
    }

    /** What one phase of the run produced. */
    private record Result(long requests, long elapsedNanos, long[] checkNanos, long[] requestNanos,
                          Map<String, Long> outcomes) {
    }

    /**
     * Runs the load and prints the figures.
     *
     * @param args see the class description
     * @throws InterruptedException if interrupted while waiting for the workers
     */
    public static void main(String[] args) throws InterruptedException {
        Options o = OptionValues.parseOrExit(args, Options::parse);
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "Quota load harness: %d threads, %s, %d users, warm-up %d requests%n",
                o.threads(), o.seconds() > 0 ? o.seconds() + " s" : o.requests() + " requests", Workload.USERS,
                o.warmup());
        System.out.printf(Locale.ROOT, "JVM %s, %d processors, max heap %d MiB%n",
                System.getProperty("java.vm.version"), rt.availableProcessors(), rt.maxMemory() >> 20);

        long t0 = System.nanoTime();
        try (RedisEnvironment env = RedisEnvironment.start(o.threads())) {
            System.out.printf(Locale.ROOT, "embedded Redis started and %d users warmed in %d ms%n", Workload.USERS,
                    (System.nanoTime() - t0) / 1_000_000);
            CheckRequest[] requests = Workload.requests(true);
            if (o.warmup() > 0) {
                run(env.gate(), requests, o.threads(), o.warmup(), 0, "warm");
            }
            long before = usedHeapAfterGc(rt);
            Result r = run(env.gate(), requests, o.threads(), o.seconds() > 0 ? Long.MAX_VALUE : o.requests(),
                    o.seconds(), "run");
            long afterNoGc = rt.totalMemory() - rt.freeMemory();
            long after = usedHeapAfterGc(rt);
            env.gate().flush();
            print(r, o.threads());
            System.out.printf(Locale.ROOT, "heap used: before %.1f MiB, after %.1f MiB (before GC %.1f MiB), "
                    + "retained growth %.1f MiB = %.0f bytes per request%n",
                    mib(before), mib(after), mib(afterNoGc), mib(after - before),
                    (double) (after - before) / Math.max(1, r.requests()));
            System.out.println("  (the in-memory usage sink and usage log keep every recorded event; "
                    + "Redis memory is outside the JVM)");
            BillingGate.GateMetrics m = env.gate().metrics();
            System.out.printf(Locale.ROOT, "gate: %d cache writes dropped, %d run synchronously, %d failed, breaker %s%n",
                    m.droppedCacheWrites(), m.synchronousCacheWrites(), m.failedCacheWrites(), m.breakerState());
            System.out.printf(Locale.ROOT, "GC: %s%n", gcSummary());
        }
    }

    private static Result run(BillingGate gate, CheckRequest[] requests, int threads, long total, long seconds,
                              String phase) throws InterruptedException {
        AtomicLong remaining = new AtomicLong(total);
        long deadline = seconds > 0 ? System.nanoTime() + seconds * 1_000_000_000L : Long.MAX_VALUE;
        Samples[] checks = new Samples[threads];
        Samples[] whole = new Samples[threads];
        Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(threads);
        Throwable[] failure = new Throwable[1];
        int perThread = seconds > 0 ? 1 << 16 : (int) Math.min(Integer.MAX_VALUE - 16, total / threads + 1);
        for (int t = 0; t < threads; t++) {
            int id = t;
            checks[t] = new Samples(perThread);
            whole[t] = new Samples(perThread);
            Thread worker = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(31L * id + phase.hashCode());
                String prefix = phase + "-" + System.nanoTime() + "-" + id + "-";
                long seq = 0;
                ready.countDown();
                try {
                    go.await();
                    while (remaining.getAndDecrement() > 0 && System.nanoTime() < deadline) {
                        int user = 1 + random.nextInt(Workload.USERS);
                        long start = System.nanoTime();
                        Decision d = gate.check(requests[user - 1]);
                        long checked = System.nanoTime();
                        if (d.allowed()) {
                            gate.record(Workload.event(prefix + seq++, user));
                        }
                        long end = System.nanoTime();
                        checks[id].add(checked - start);
                        whole[id].add(end - start);
                        outcomes.computeIfAbsent(d.allowed() ? "allowed" : d.reason().code(), k -> new LongAdder())
                                .increment();
                    }
                } catch (Throwable e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                } finally {
                    done.countDown();
                }
            }, "load-" + phase + "-" + t);
            worker.start();
        }
        ready.await();
        long start = System.nanoTime();
        go.countDown();
        done.await();
        long elapsed = System.nanoTime() - start;
        synchronized (failure) {
            if (failure[0] != null) {
                throw new IllegalStateException("a load thread failed", failure[0]);
            }
        }
        Map<String, Long> counted = new TreeMap<>();
        outcomes.forEach((k, v) -> counted.put(k, v.sum()));
        long[] c = merge(checks);
        return new Result(c.length, elapsed, c, merge(whole), counted);
    }

    private static long[] merge(Samples[] parts) {
        int n = 0;
        for (Samples s : parts) {
            n += s.size;
        }
        long[] all = new long[n];
        int at = 0;
        for (Samples s : parts) {
            System.arraycopy(s.values, 0, all, at, s.size);
            at += s.size;
        }
        Arrays.sort(all);
        return all;
    }

    private static void print(Result r, int threads) {
        double seconds = r.elapsedNanos() / 1e9;
        System.out.printf(Locale.ROOT, "%d requests (check + record) in %.2f s with %d threads: %.0f requests/s%n",
                r.requests(), seconds, threads, r.requests() / seconds);
        System.out.printf(Locale.ROOT, "outcomes: %s%n", r.outcomes());
        System.out.println("latency (us)        p50      p99    p99.9      max");
        line("check", r.checkNanos());
        line("check + record", r.requestNanos());
    }

    private static void line(String label, long[] sorted) {
        System.out.printf(Locale.ROOT, "%-15s %8.1f %8.1f %8.1f %8.1f%n", label,
                percentile(sorted, 0.50) / 1e3, percentile(sorted, 0.99) / 1e3, percentile(sorted, 0.999) / 1e3,
                (sorted.length == 0 ? 0 : sorted[sorted.length - 1]) / 1e3);
    }

    /** Nearest-rank percentile of sorted samples. */
    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    private static long usedHeapAfterGc(Runtime rt) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static String gcSummary() {
        StringBuilder sb = new StringBuilder();
        ManagementFactory.getGarbageCollectorMXBeans().forEach(gc -> sb.append(gc.getName()).append(' ')
                .append(gc.getCollectionCount()).append(" collections ").append(gc.getCollectionTime())
                .append(" ms; "));
        return sb.toString();
    }
}
