package dev.quota.core.spi;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.Money;
import java.time.Instant;
import java.util.Optional;

/**
 * Subscriptions and their rolling daily / weekly / monthly usage in the source of truth. Failures are
 * reported as {@link BackendUnavailableException}. Thread-safe.
 */
public interface SubscriptionStore {

    /**
     * @param userId the user
     * @param groupId the subscription group
     * @return the subscription, empty when there is none
     */
    Optional<SubscriptionState> find(long userId, long groupId);

    /**
     * Creates or replaces a subscription, usage included.
     *
     * @param state the subscription
     */
    void save(SubscriptionState state);

    /**
     * Adds a cost to the three windows in one atomic step, resetting each expired window to the cost with
     * its start set to {@code now}.
     *
     * @param userId the user
     * @param groupId the group
     * @param cost the cost, not negative
     * @param now the current instant (from the service's clock)
     * @return the new state, empty when there is no such subscription (nothing changes)
     * @throws IllegalArgumentException if {@code cost} is negative
     */
    Optional<SubscriptionState> addUsage(long userId, long groupId, Money cost, Instant now);
}
