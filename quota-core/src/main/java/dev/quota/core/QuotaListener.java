package dev.quota.core;


/**
 * Callbacks a gateway can bind to its metrics (Micrometer, Prometheus, ...). Every method has a no-op
 * default. Callbacks run on the calling thread (or a cache-write worker) and must be fast and must not
 * throw; an exception thrown by a listener is logged and ignored.
 */
public interface QuotaListener {

    /** A listener that does nothing. */
    QuotaListener NONE = new QuotaListener() {
    };

    /**
     * A check (or reservation) was decided.
     *
     * @param request the request
     * @param decision the decision; denials carry their reason
     */
    default void onDecision(CheckRequest request, Decision decision) {
    }

    /**
     * A cache entry was usable.
     *
     * @param kind which check it served
     */
    default void onCacheHit(CheckKind kind) {
    }

    /**
     * A cache entry was absent, stale or corrupt and was loaded from the store.
     *
     * @param kind which check it served
     */
    default void onCacheMiss(CheckKind kind) {
    }

    /**
     * The cache or a store failed and the failure policy applied.
     *
     * @param kind which check
     * @param cause the failure
     */
    default void onFallback(CheckKind kind, Throwable cause) {
    }

    /**
     * The billing circuit breaker changed state.
     *
     * @param from the old state
     * @param to the new state
     */
    default void onBreakerStateChange(BreakerState from, BreakerState to) {
    }

    /**
     * A cache write (a refill) was dropped because the write queue was full or the gate closed.
     *
     * @param what a short description of the write
     */
    default void onCacheWriteDropped(String what) {
    }

    /**
     * A critical cache write ran on the caller's thread because the write queue was full.
     *
     * @param what a short description of the write
     */
    default void onCacheWriteRanSynchronously(String what) {
    }

    /**
     * The store refused a recorded event as data (for example a value the database cannot hold): it was moved to
     * the dead letters with the error and is not retried; the other events flowed on. Called on the usage
     * writer's thread.
     *
     * @param event the refused event
     * @param error the store's error message
     */
    default void onUsageRejected(dev.quota.core.UsageEvent event, String error) {
    }

    /**
     * The outbox drainer recovered an event that another gateway instance recorded but did not store (it stopped
     * before its SQL commit), and the store has now settled it: stored, or found already stored. Called once per
     * recovered event, on the usage writer's thread, after the store's commit. A steady stream of these means
     * instances are stopping without {@code close()}.
     *
     * @param event the recovered event
     */
    default void onUsageRecovered(dev.quota.core.UsageEvent event) {
    }

    /** States of the billing circuit breaker. */
    enum BreakerState {
        /** Calls pass. */
        CLOSED,
        /** Calls are rejected with {@code BILLING_SERVICE_ERROR}. */
        OPEN,
        /** A limited number of probe calls pass. */
        HALF_OPEN
    }
}
