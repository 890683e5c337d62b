package dev.quota.core.internal;

/**
 * One call's permit of the {@link BillingBreaker}: answered once, by the first success or failure of a balance or
 * subscription read; a call that read neither returns it as a success ({@link #finish}). Not thread-safe: one per
 * call, on the caller's thread.
 */
final class BreakerPermit implements StoreReads.Permit {

    private final BillingBreaker breaker;
    private boolean recorded;

    private BreakerPermit(BillingBreaker breaker) {
        this.breaker = breaker;
    }

    /**
     * @param breaker the billing breaker
     * @return a permit, or null when the breaker rejects the call
     */
    static BreakerPermit acquire(BillingBreaker breaker) {
        return breaker.tryAcquire() ? new BreakerPermit(breaker) : null;
    }

    @Override
    public void success() {
        if (!recorded) {
            recorded = true;
            breaker.success();
        }
    }

    @Override
    public void failure() {
        if (!recorded) {
            recorded = true;
            breaker.failure();
        }
    }

    /** Ends the call: a permit no read answered is returned as a success. */
    void finish() {
        success();
    }
}
