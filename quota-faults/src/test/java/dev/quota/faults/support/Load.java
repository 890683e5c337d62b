package dev.quota.faults.support;

import dev.quota.core.BillingGate;
import dev.quota.core.BackendUnavailableException;
import dev.quota.core.Decision;
import dev.quota.core.Money;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Requests under load through one gate: threads released together by a start latch, each sending up to a
 * bounded number of requests ({@code check}, then {@code record} when allowed) with distinct request ids and
 * costs that differ in the last nano-units. It keeps what {@code record} acknowledged
 * (returned without an exception), by {@link UsageKey} with the cost in nanos. Stops by itself after the
 * bound, or earlier on {@link #stop()}.
 */
public final class Load {

    private final BillingGate gate;
    private final Clock clock;
    private final String runId;
    private final long[] users;
    private final int threads;
    private final int perThread;
    private final boolean checkFirst;
    private final Consumer<UsageEvent> onAck;
    private final Map<UsageKey, Long> acked = new ConcurrentHashMap<>();
    private final AtomicLong unavailable = new AtomicLong();
    private final AtomicLong denied = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CountDownLatch go = new CountDownLatch(1);
    private final List<Thread> workers = new ArrayList<>();
    private final Map<Thread, Throwable> crashes = new ConcurrentHashMap<>();

    private Load(BillingGate gate, Clock clock, String runId, long[] users, int threads, int perThread,
                 boolean checkFirst, Consumer<UsageEvent> onAck) {
        this.gate = gate;
        this.clock = clock;
        this.runId = runId;
        this.users = users.clone();
        this.threads = threads;
        this.perThread = perThread;
        this.checkFirst = checkFirst;
        this.onAck = onAck;
    }

    /**
     * Starts the threads and releases them together.
     *
     * @param gate the gate
     * @param runId a prefix of every request id, unique per run
     * @param users the users, requests spread round-robin
     * @param threads how many threads
     * @param perThread the most requests each sends
     * @param onAck called after each acknowledged record, on the recording thread
     * @return the running load
     */
    public static Load start(BillingGate gate, String runId, long[] users, int threads, int perThread,
                             Consumer<UsageEvent> onAck) {
        Load load = new Load(gate, Clock.systemUTC(), runId, users, threads, perThread, true, onAck);
        load.launch();
        return load;
    }

    /**
     * @param runId the run's request-id prefix
     * @param thread the thread index
     * @param i the request index
     * @param user the user
     * @param at when it happened
     * @return the event the load records for that request
     */
    public static UsageEvent event(String runId, int thread, int i, long user, java.time.Instant at) {
        long cost = 1_000_000L + Math.floorMod((thread * 31L + i) * 7919L, 100_000L);
        return UsageEvent.builder(runId + "-" + thread + "-" + i, user).platform(Gateway.PLATFORM)
                .apiKeyId(Gateway.apiKeyOf(user))
                .model("claude-sonnet-4").tokens(100, 20, 0, 0).totalCost(Money.ofNanos(cost))
                .occurredAt(at).build();
    }

    private void launch() {
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread w = new Thread(() -> run(thread), "quota-faults-load-" + t);
            w.setDaemon(true);
            w.setUncaughtExceptionHandler(crashes::put);
            workers.add(w);
            w.start();
        }
        go.countDown();
    }

    private void run(int thread) {
        try {
            go.await();
        } catch (InterruptedException e) {
            return;
        }
        for (int i = 0; i < perThread && !stop.get(); i++) {
            long user = users[(thread + i) % users.length];
            UsageEvent event = event(runId, thread, i, user, clock.instant());
            if (checkFirst) {
                Decision d = gate.check(Gateway.request(user));
                if (d.denied()) {
                    denied.incrementAndGet();
                    continue;
                }
            }
            UsageKey key = UsageKey.of(event);
            try {
                gate.record(event);
            } catch (BackendUnavailableException e) {
                unavailable.incrementAndGet();
                continue;
            }
            acked.put(key, event.costs().total().nanos());
            onAck.accept(event);
        }
    }

    /**
     * Waits until at least {@code n} records were acknowledged or every thread ended.
     *
     * @param n how many
     * @param timeoutMillis the bound
     */
    public void awaitAcked(int n, long timeoutMillis) {
        Processes.await(n + " acknowledged records", timeoutMillis, () -> acked.size() >= n || finished());
    }

    /**
     * Runs an outage in the middle of the load: calls {@code fail}, waits (at most 60 s) until {@code atLeast}
     * more records are acknowledged, then calls {@code recover}.
     *
     * @param fail what breaks a backend
     * @param atLeast how many acknowledged records to wait for while it is broken
     * @param recover what repairs it
     * @return how many records were acknowledged between the two calls
     */
    public int ackedThrough(Runnable fail, int atLeast, Runnable recover) {
        fail.run();
        int before = acked.size();
        awaitAcked(before + atLeast, 60_000);
        int during = acked.size() - before;
        recover.run();
        return during;
    }

    /** @return whether every thread ended */
    public boolean finished() {
        return workers.stream().noneMatch(Thread::isAlive);
    }

    /**
     * Stops the threads and waits until they ended (bounded by the gate's own timeouts).
     *
     * @throws AssertionError when a thread died of an unexpected exception
     */
    public void stop() {
        stop.set(true);
        join();
    }

    /** Waits until every thread ended by itself. */
    public void join() {
        for (Thread w : workers) {
            try {
                w.join(60_000);
                if (w.isAlive()) {
                    throw new IllegalStateException(w.getName() + " did not end");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        if (!crashes.isEmpty()) {
            Throwable first = crashes.values().iterator().next();
            throw new AssertionError("a load thread died: " + first, first);
        }
    }

    /** @return the records acknowledged, by key, cost in nanos */
    public Map<UsageKey, Long> acked() {
        return Map.copyOf(acked);
    }

    /** @return how many records failed with {@link BackendUnavailableException} */
    public long unavailable() {
        return unavailable.get();
    }

    /** @return how many checks denied */
    public long denied() {
        return denied.get();
    }

}
