package dev.quota.core;

import java.util.Objects;

/**
 * The result of an idempotent balance change ({@link BillingAdmin#credit}, {@link BillingAdmin#debit}).
 *
 * @param balance the user's balance after the call, in exact nano-units
 * @param applied true when this call changed the balance; false when the operation id had been applied before
 *                (a replayed payment notification, a retried request), so nothing changed
 */
public record BalanceChange(Money balance, boolean applied) {

    /**
     * Validates.
     *
     * @param balance the balance after the call, not null
     * @param applied whether this call applied the change
     */
    public BalanceChange {
        Objects.requireNonNull(balance, "balance");
    }
}
