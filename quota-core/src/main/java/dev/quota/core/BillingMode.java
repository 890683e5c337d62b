package dev.quota.core;

/** How a request is paid for, which decides the counters a recorded usage touches. */
public enum BillingMode {
    /** Deducted from the user's balance; counts towards user × platform quotas. */
    BALANCE,
    /** Counted against the user's subscription windows; the balance is untouched. */
    SUBSCRIPTION,
    /**
     * Logged only (the gate's simple mode): kept in the ledger, the roll-ups and the statistics, but no
     * balance, subscription, platform or API key counter moves.
     */
    NONE
}
