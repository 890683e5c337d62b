package dev.quota.testkit;

import dev.quota.core.spi.Pingable;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.Money;
import dev.quota.core.spi.SubscriptionStore;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory {@link SubscriptionStore}: subscriptions keyed by user and group; usage is added with
 * {@link SubscriptionState#addUsage}, which resets expired rolling windows, in one atomic map operation.
 * Failures can be injected through {@link #faults()}.
 *
 * <p>Thread-safe.
 */
public final class InMemorySubscriptionStore extends FaultInjectedFake implements SubscriptionStore, Pingable {

    private final Map<UserGroup, SubscriptionState> subscriptions = new ConcurrentHashMap<>();

    /** Creates an empty store with its own {@link Faults}. */
    public InMemorySubscriptionStore() {
        // the Faults of its own come from FaultInjectedFake()
    }

    /**
     * Creates an empty store.
     *
     * @param faults the fault injection to obey (may be shared with other fakes)
     */
    public InMemorySubscriptionStore(Faults faults) {
        super(faults);
    }

    @Override
    public Optional<SubscriptionState> find(long userId, long groupId) {
        faults.beforeCall("SubscriptionStore.find");
        return Optional.ofNullable(subscriptions.get(new UserGroup(userId, groupId)));
    }

    @Override
    public void save(SubscriptionState state) {
        Objects.requireNonNull(state, "state");
        faults.beforeCall("SubscriptionStore.save");
        subscriptions.put(new UserGroup(state.userId(), state.groupId()), state);
    }

    @Override
    public Optional<SubscriptionState> addUsage(long userId, long groupId, Money cost, Instant now) {
        if (cost == null || cost.isNegative()) {
            throw new IllegalArgumentException("cost must not be null or negative: " + cost);
        }
        Objects.requireNonNull(now, "now");
        faults.beforeCall("SubscriptionStore.addUsage");
        return addUsageQuietly(userId, groupId, cost, now);
    }

    Optional<SubscriptionState> addUsageQuietly(long userId, long groupId, Money cost, Instant now) {
        return Optional.ofNullable(subscriptions.computeIfPresent(new UserGroup(userId, groupId),
                (k, old) -> old.addUsage(cost.nanos(), now)));
    }

    /** Removes every subscription (does not count as a call and ignores injected faults). */
    public void clear() {
        subscriptions.clear();
    }

    /**
     * Fails while this fake's {@link Faults#down() faults say the backend is down}; counts no call and consumes no
     * pending failure.
     *
     * @throws dev.quota.core.BackendUnavailableException while down
     */
    @Override
    public void ping() {
        if (faults.down()) {
            throw new dev.quota.core.BackendUnavailableException("SubscriptionStore is down (injected)");
        }
    }
}
