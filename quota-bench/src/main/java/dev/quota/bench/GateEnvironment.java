package dev.quota.bench;

import dev.quota.core.BillingGate;
import dev.quota.testkit.InMemoryQuota;
import dev.quota.testkit.MutableClock;

/**
 * What every benchmark environment holds: a clock fixed at {@link Workload#NOW}, the in-memory testkit seeded
 * with {@link Workload#USERS} users (all of it, or its stores and usage sink as the SQL side), and the gate over
 * them, configured with {@link Workload#PLATFORM} and its defaults and warmed. Thread-safe like the gate;
 * {@link #close()} it when done.
 */
public abstract class GateEnvironment implements AutoCloseable {

    private final MutableClock clock = MutableClock.at(Workload.NOW);
    private final InMemoryQuota stores = InMemoryQuota.create(clock, Workload.ZONE);
    private BillingGate gate;

    /** Seeds the in-memory stores; the subclass then calls {@link #startGate} once. */
    GateEnvironment() {
        Workload.seed(stores);
    }

    /**
     * Builds the gate with the workload's platform and defaults, and warms its cache with every user's entries.
     *
     * @param builder the gate's backends, clock and zone
     */
    final void startGate(BillingGate.Builder builder) {
        gate = builder.platforms(Workload.PLATFORM).platformQuotaDefaults(Workload.platformDefaults()).build();
        Workload.warm(gate, Workload.requests(true));
    }

    /**
     * @return the gate
     */
    public BillingGate gate() {
        return gate;
    }

    /**
     * @return the in-memory testkit: the stores and usage sink behind the gate (and its cache, where the
     *     environment has no other)
     */
    public InMemoryQuota stores() {
        return stores;
    }

    /**
     * @return the fixed clock
     */
    public MutableClock clock() {
        return clock;
    }

    /** Closes the gate (draining its cache-write pool) and whatever else the environment runs. */
    @Override
    public abstract void close();
}
