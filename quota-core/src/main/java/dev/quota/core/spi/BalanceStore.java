package dev.quota.core.spi;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.Money;
import java.util.Optional;

/**
 * Users' balances in the source of truth (SQL in production), in exact nano-units. Every change is one
 * atomic step; concurrent deductions never lose an update. Failures are reported as
 * {@link BackendUnavailableException}. Thread-safe.
 */
public interface BalanceStore {

    /**
     * @param userId the user
     * @return the balance, empty when the user has no balance record
     */
    Optional<Money> find(long userId);

    /**
     * Creates or replaces a balance.
     *
     * @param userId the user
     * @param balance the balance (may be negative)
     */
    void set(long userId, Money balance);

    /**
     * Adds to a balance, creating it at zero first when absent.
     *
     * @param userId the user
     * @param amount the amount to add, not negative
     * @return the new balance
     * @throws IllegalArgumentException if {@code amount} is negative
     */
    Money credit(long userId, Money amount);

    /**
     * Subtracts unconditionally (a balance may go negative: the request already ran).
     *
     * @param userId the user
     * @param amount the amount, not negative
     * @return the new balance, empty when the user has no balance record (nothing changes)
     * @throws IllegalArgumentException if {@code amount} is negative
     */
    Optional<Money> deduct(long userId, Money amount);

    /**
     * Subtracts only when the result stays at or above {@code floor}, atomically.
     *
     * @param userId the user
     * @param amount the amount, not negative
     * @param floor the lowest balance allowed after the deduction
     * @return the new balance, empty when refused or when the user has no balance record
     * @throws IllegalArgumentException if {@code amount} is negative
     */
    Optional<Money> deductIfAtLeast(long userId, Money amount, Money floor);

    /**
     * Adds a signed amount to a balance once per operation id: the first call with a given
     * {@code (userId, operationId)} applies {@code delta} (creating the balance at zero first when absent) and
     * records the id in the same atomic step; every later call with that pair changes nothing. Payment
     * notifications and admin retries use it so that a replay never credits twice.
     *
     * @param userId the user
     * @param delta the amount to add; negative to subtract (the balance may go negative)
     * @param operationId the operation's id, unique per user (the rule of {@link
     *                    dev.quota.core.UsageEvent#requireId request ids})
     * @return the balance after the call and whether this call applied the change
     * @throws IllegalArgumentException if {@code delta} is null or {@code operationId} breaks the id rule
     */
    dev.quota.core.BalanceChange adjust(long userId, Money delta, String operationId);
}
