package dev.quota.bench;

import dev.quota.core.BillingGate;
import dev.quota.testkit.InMemoryQuota;

/**
 * A {@link BillingGate} on the in-memory testkit ({@link InMemoryQuota}: cache, stores, ledger and usage sink
 * all in memory) on a clock fixed at {@link Workload#NOW}, seeded with {@link Workload#USERS} users and warmed.
 *
 * <p>The testkit is built for tests, not for volume: its usage sink, usage log and cache keep every recorded
 * event or request id for the life of the instance, so heavy recording grows the heap. Benchmarks that record
 * start a fresh environment per iteration. Thread-safe like the gate; {@link #close()} it when done.
 */
public final class InMemoryEnvironment extends GateEnvironment {

    private InMemoryEnvironment() {
        startGate(stores().gateBuilder());
    }

    /**
     * @return a seeded environment whose cache holds every user's entries
     */
    public static InMemoryEnvironment start() {
        return new InMemoryEnvironment();
    }

    /** Closes the gate (draining its cache-write pool). */
    @Override
    public void close() {
        gate().close();
    }
}
