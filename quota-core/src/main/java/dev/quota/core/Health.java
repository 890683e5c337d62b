package dev.quota.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A snapshot of a billing gate's health, from {@link BillingGate#health()}: one overall {@link Status} a
 * readiness probe can use, and the state of each part behind it. Immutable.
 *
 * <p>Rules for the overall status:
 * <ul>
 *   <li>{@link Status#DOWN} when the stores (SQL, the source of truth) do not answer their ping, or the billing
 *       circuit breaker is open (checks answer {@code BILLING_SERVICE_ERROR}, 503).</li>
 *   <li>{@link Status#DEGRADED} when the gate still answers but not as it should: the cache does not answer its
 *       ping (checks run on the stores, records are stored synchronously), the breaker is half-open, the usage
 *       pipeline lags (its oldest unsettled event is older than the gate's {@code drainIdle}, default 60 s), or
 *       cache entries that missed usage during an outage are still owed an eviction.</li>
 *   <li>{@link Status#UP} otherwise.</li>
 * </ul>
 * Dead letters and dropped cache writes are counted since the gate was built; they are reported but do not
 * change the status (a dead letter is one event's bad data, not an outage; a dropped refill only costs a miss).
 *
 * @param status the overall status
 * @param cache the cache's ping
 * @param stores the stores' ping (the balance and subscription stores)
 * @param usagePipeline the usage pipeline: lag and dead letters
 * @param breaker the billing circuit breaker's state
 * @param owedEvictions cache entries that missed usage during an outage and are not evicted yet
 * @param checkedAt when the snapshot was taken, by the gate's clock
 */
public record Health(Status status, Component cache, Component stores, UsagePipeline usagePipeline,
                     QuotaListener.BreakerState breaker, long owedEvictions, Instant checkedAt) {

    /**
     * Validates the snapshot.
     *
     * @param status the overall status
     * @param cache the cache's ping
     * @param stores the stores' ping
     * @param usagePipeline the usage pipeline
     * @param breaker the breaker's state
     * @param owedEvictions owed evictions, not negative
     * @param checkedAt when it was taken
     * @throws NullPointerException when a part is null
     * @throws IllegalArgumentException when {@code owedEvictions} is negative
     */
    public Health {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(stores, "stores");
        Objects.requireNonNull(usagePipeline, "usagePipeline");
        Objects.requireNonNull(breaker, "breaker");
        Objects.requireNonNull(checkedAt, "checkedAt");
        if (owedEvictions < 0) {
            throw new IllegalArgumentException("owedEvictions must not be negative: " + owedEvictions);
        }
    }

    /** Overall or per-part status, from best to worst. */
    public enum Status {
        /** Everything answers. */
        UP,
        /** The gate answers, with reduced guarantees or speed (see {@link Health}). */
        DEGRADED,
        /** The gate cannot answer as it must. */
        DOWN
    }

    /**
     * One backend's ping.
     *
     * @param status {@link Status#UP} or {@link Status#DOWN}
     * @param probed false when the part is not configured or its port cannot be pinged (then it is UP)
     * @param detail a short human-readable description ({@code "ok"}, {@code "not configured"},
     *     {@code "not probed"}, or the failure)
     */
    public record Component(Status status, boolean probed, String detail) {

        /**
         * Validates the component.
         *
         * @param status UP or DOWN
         * @param probed whether it was pinged
         * @param detail what was found
         * @throws NullPointerException when a part is null
         */
        public Component {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(detail, "detail");
        }

        /** @return true when the status is {@link Status#UP} */
        public boolean up() {
            return status == Status.UP;
        }
    }

    /**
     * The usage pipeline: events the gate handed to its usage sink that the sink has not settled yet (stored,
     * found a duplicate, refused or given up), and the events refused as data.
     *
     * @param status {@link Status#DEGRADED} when the oldest unsettled event is older than the gate's
     *     {@code drainIdle}, else {@link Status#UP}
     * @param unsettledEvents events not yet settled by the sink (the lag, in events)
     * @param oldestUnsettledAge how long the oldest of them has waited, by the gate's clock ({@link Duration#ZERO}
     *     when none)
     * @param deadLetters events the store refused as data and moved to its dead letters, since the gate was built
     * @param droppedCacheWrites cache refills dropped because the write queue was full, since the gate was built
     */
    public record UsagePipeline(Status status, long unsettledEvents, Duration oldestUnsettledAge, long deadLetters,
                                long droppedCacheWrites) {

        /**
         * Validates the pipeline's figures.
         *
         * @param status UP or DEGRADED
         * @param unsettledEvents events not yet settled, not negative
         * @param oldestUnsettledAge age of the oldest, not negative
         * @param deadLetters dead letters, not negative
         * @param droppedCacheWrites dropped refills, not negative
         * @throws NullPointerException when a part is null
         * @throws IllegalArgumentException when a count or the age is negative
         */
        public UsagePipeline {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(oldestUnsettledAge, "oldestUnsettledAge");
            if (unsettledEvents < 0 || deadLetters < 0 || droppedCacheWrites < 0 || oldestUnsettledAge.isNegative()) {
                throw new IllegalArgumentException("counts and age must not be negative");
            }
        }
    }
}
