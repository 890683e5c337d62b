package dev.quota.core;

import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.SubscriptionState;

/**
 * Changes to what a user may spend, made through the gate so that the cache never answers with the old value
 * once a call returns: top-ups and refunds, balance corrections, subscription changes, platform limits, RPM
 * overrides, and "this user changed elsewhere". Obtain it with {@link BillingGate#admin()}.
 *
 * <p>Every change is stored in the source of truth (SQL in production) and the cache entries it affects are
 * evicted before and after the write: the entry is gone and marked dirty, so a refill loaded before the write
 * cannot land, and the next check reads the new value from the store (and refills the cache with it). When the
 * cache cannot be reached, the eviction is owed (see {@link BillingGate.GateMetrics#owedEvictions()}) and paid
 * before this gate uses the cache again; the change itself is stored all the same.
 *
 * <p>RPM overrides are also cached in each gate's process for up to 60 s: the gate that makes the change forgets
 * its copy at once, other gateway instances see it within 60 s.
 *
 * <p>Every method validates its arguments first (a bad argument throws {@link IllegalArgumentException} and
 * changes nothing) and throws {@link dev.quota.core.BackendUnavailableException} when the store fails
 * (then the change was not stored). Thread-safe.
 */
public interface BillingAdmin {

    /**
     * Adds to a user's balance once per operation id, for example a payment: a replayed payment notification
     * with the same id changes nothing and reports the current balance. The balance is created at zero first when
     * the user has none.
     *
     * @param userId the user, positive
     * @param amount the amount to add, positive
     * @param operationId the payment's id, unique per user (1 to 128 characters, no control character)
     * @return the balance after the call and whether this call applied the credit
     */
    BalanceChange credit(long userId, Money amount, String operationId);

    /**
     * Subtracts from a user's balance once per operation id, for example a refund reversal or a manual charge.
     * The balance may go negative.
     *
     * @param userId the user, positive
     * @param amount the amount to subtract, positive
     * @param operationId the operation's id, unique per user (1 to 128 characters, no control character)
     * @return the balance after the call and whether this call applied the debit
     */
    BalanceChange debit(long userId, Money amount, String operationId);

    /**
     * Sets a user's balance outright (a correction). Idempotent by nature.
     *
     * @param userId the user, positive
     * @param balance the new balance (may be negative)
     */
    void setBalance(long userId, Money balance);

    /**
     * Creates or replaces a user's subscription in a group (a purchase, a renewal, a cancellation, a changed
     * expiry); the window usage in {@code state} is stored as given.
     *
     * @param state the subscription
     */
    void saveSubscription(SubscriptionState state);

    /**
     * Sets a user's daily / weekly / monthly limits on one platform (needs a platform quota store).
     *
     * @param userId the user, positive
     * @param platform the platform, one of the gate's configured platforms when it has any
     * @param limits the limits, or {@code null} to fall back to the platform quota defaults
     * @throws IllegalStateException when the gate has no platform quota store
     */
    void setPlatformLimits(long userId, String platform, PeriodLimits limits);

    /**
     * Sets a user's requests-per-minute override in a group (needs an RPM override store).
     *
     * @param userId the user, positive
     * @param groupId the group, positive
     * @param rpm the override: requests per minute, not negative ({@code 0} exempts the user from the group's
     *            RPM limit, as in the seed gateways)
     * @throws IllegalStateException when the gate has no RPM override store
     */
    void setRpmOverride(long userId, long groupId, long rpm);

    /**
     * Removes a user's requests-per-minute override in a group; the group's limit applies again.
     *
     * @param userId the user, positive
     * @param groupId the group, positive
     * @throws IllegalStateException when the gate has no RPM override store
     */
    void removeRpmOverride(long userId, long groupId);

    /**
     * The user's balance or platform limits were changed in the store by something other than this gate (a
     * script, another service): evicts the user's cached balance, the user's platform-quota entries of every
     * platform configured on the gate ({@link BillingGate.Builder#platforms}; with none configured, only the
     * balance — use {@link #platformChanged}), and this gate's copy of the user's RPM overrides.
     *
     * @param userId the user, positive
     */
    void userChanged(long userId);

    /**
     * The user's limits or usage on one platform were changed in the store by something other than this gate.
     *
     * @param userId the user, positive
     * @param platform the platform
     */
    void platformChanged(long userId, String platform);

    /**
     * The user's subscription in a group was changed in the store by something other than this gate.
     *
     * @param userId the user, positive
     * @param groupId the group, positive
     */
    void subscriptionChanged(long userId, long groupId);
}
