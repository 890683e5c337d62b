package dev.quota.bench;

import dev.quota.core.BillingGate;
import dev.quota.testkit.InMemoryQuota;
import dev.quota.testkit.MutableClock;

/**
 * A {@link BillingGate} on the in-memory testkit ({@link InMemoryQuota}: cache, stores, ledger and usage sink
 * all in memory) on a clock fixed at {@link Workload#NOW}, seeded with {@link Workload#USERS} users and warmed.
 *
 * <p>The testkit is built for tests, not for volume: its usage sink, usage log and cache keep every recorded
 * event or request id for the life of the instance, so heavy recording grows the heap. Benchmarks that record
 * start a fresh environment per iteration. Thread-safe like the gate; {@link #close()} it when done.
 */
public final class InMemoryEnvironment implements AutoCloseable {

    private final MutableClock clock;
    private final InMemoryQuota quota;
    private final BillingGate gate;

    private InMemoryEnvironment() {
        this.clock = MutableClock.at(Workload.NOW);
        this.quota = InMemoryQuota.create(clock, Workload.ZONE);
        Workload.seed(quota);
        this.gate = quota.gateBuilder()
                .platforms(Workload.PLATFORM)
                .platformQuotaDefaults(Workload.platformDefaults())
                .build();
        Workload.warm(gate, Workload.requests(true));
    }

    /**
     * @return a seeded environment whose cache holds every user's entries
     */
    public static InMemoryEnvironment start() {
        return new InMemoryEnvironment();
    }

    /**
     * @return the gate
     */
    public BillingGate gate() {
        return gate;
    }

    /**
     * @return the in-memory fakes behind the gate
     */
    public InMemoryQuota quota() {
        return quota;
    }

    /**
     * @return the fixed clock
     */
    public MutableClock clock() {
        return clock;
    }

    /** Closes the gate (draining its cache-write pool). */
    @Override
    public void close() {
        gate.close();
    }
}
