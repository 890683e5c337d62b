package dev.quota.bench.compare;

import dev.quota.bench.Workload;
import dev.quota.core.BillingGate;
import dev.quota.core.Reservation;
import dev.quota.core.CheckRequest;
import dev.quota.redis.RedisQuota;
import dev.quota.redis.RedisQuotaOptions;
import dev.quota.testkit.InMemoryQuota;
import dev.quota.testkit.MutableClock;
import redis.clients.jedis.UnifiedJedis;

/**
 * Quota's side of the comparison, through its public API only: a {@link BillingGate} with {@link RedisQuota} as
 * cache, RPM counter and outbox on the given client, and the in-memory testkit stores as the SQL side (so the
 * figures show Redis and the library, not a database), seeded and warmed with the {@link Workload}. The clock is
 * fixed at {@link Workload#NOW}, so windows never roll. Thread-safe; {@link #close()} closes the gate and the
 * adapter.
 */
public final class QuotaSide implements AutoCloseable {

    private final BillingGate gate;
    private final RedisQuota adapter;
    private final CheckRequest[] requests;
    private final String runPrefix;

    /**
     * Wires, seeds and warms the gate.
     *
     * @param redis the client
     * @param runPrefix a prefix making this run's request ids unique on the server (a record with a known id is
     *                  a replay, which costs less)
     */
    public QuotaSide(UnifiedJedis redis, String runPrefix) {
        this(redis, runPrefix, 0);
    }

    /**
     * Wires, seeds and warms the gate, its script calls pipelined on {@code pipelining} connections
     * ({@link RedisQuotaOptions.Builder#pipelining}).
     *
     * @param redis the client
     * @param runPrefix a prefix making this run's request ids unique on the server
     * @param pipelining the pipelined connections, 0 for none (the adapter's defaults)
     */
    public QuotaSide(UnifiedJedis redis, String runPrefix, int pipelining) {
        MutableClock clock = MutableClock.at(Workload.NOW);
        InMemoryQuota stores = InMemoryQuota.create(clock, Workload.ZONE);
        Workload.seed(stores);
        this.adapter = pipelining == 0 ? RedisQuota.create(redis)
                : RedisQuota.create(redis, RedisQuotaOptions.builder().pipelining(pipelining).build());
        this.gate = stores.gateBuilder()
                .cache(adapter.billingCache()).rpmCounter(adapter.rpmCounter()).outbox(adapter.usageOutbox())
                .platforms(Workload.PLATFORM).platformQuotaDefaults(Workload.platformDefaults())
                .build();
        this.requests = Workload.requests(true);
        this.runPrefix = runPrefix;
        Workload.warm(gate, requests);
    }

    /** @return the gate */
    public BillingGate gate() {
        return gate;
    }

    /**
     * @param user a user
     * @return true when the user's request is allowed
     */
    public boolean check(int user) {
        return gate.check(requests[user - 1]).allowed();
    }

    /**
     * A check and, when allowed, the record of its usage (a fresh request id).
     *
     * @param user a user
     * @param id the request id's unique part
     * @return true when the check allowed the request
     */
    public boolean checkAndRecord(int user, String id) {
        if (!check(user)) {
            return false;
        }
        gate.record(Workload.event(runPrefix + id, user));
        return true;
    }

    /**
     * The record of one request's usage alone (a fresh request id).
     *
     * @param user a user
     * @param id the request id's unique part
     */
    public void record(int user, String id) {
        gate.record(Workload.event(runPrefix + id, user));
    }

    /**
     * @param user a user
     * @return a reservation of {@link Workload#COST} for the user's request
     */
    public Reservation reserve(int user) {
        return gate.reserve(requests[user - 1], Workload.COST);
    }

    /**
     * @param reservation a reservation of {@code user}
     * @param user the user
     * @param id the request id's unique part
     */
    public void settle(Reservation reservation, int user, String id) {
        gate.settle(reservation, Workload.event(runPrefix + id, user));
    }

    /**
     * A reservation of {@link Workload#COST} and, when held in the cache, its settlement at that cost.
     *
     * @param user a user
     * @param id the request id's unique part
     * @return true when the estimate was held in the cache (not denied, not held locally in the process)
     */
    public boolean reserveAndSettle(int user, String id) {
        Reservation r = reserve(user);
        if (!r.allowed()) {
            return false;
        }
        settle(r, user, id);
        return r.held() && !r.local();
    }

    /** Flushes and closes the gate, then closes the adapter (which ends its pipelining, if on). */
    @Override
    public void close() {
        try {
            gate.close();
        } finally {
            adapter.close();
        }
    }
}
