package dev.quota.core.internal;

import dev.quota.core.BalanceChange;
import dev.quota.core.BillingAdmin;
import dev.quota.core.GateConfig;
import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.Money;
import dev.quota.core.UsageEvent;
import dev.quota.core.spi.EntryRef;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@link BillingAdmin} of one gate: each change is stored, with the cache entries it affects evicted before and
 * after the write (see the interface). One job: keeping admin changes and the cache coherent. Thread-safe.
 */
final class GateAdmin implements BillingAdmin {

    /** Forgets this gate's in-process copies of a user's RPM overrides. */
    interface OverrideCache {
        /** Forgets the copy of one override. */
        void forget(long userId, long groupId);

        /** Forgets every copy of the user's overrides. */
        void forgetUser(long userId);
    }

    private final GateConfig s;
    private final CacheCoherence coherence;
    private final OverrideCache overrides;
    private final Runnable ensureOpen;

    GateAdmin(GateConfig settings, CacheCoherence coherence, OverrideCache overrides,
              Runnable ensureOpen) {
        this.s = settings;
        this.coherence = coherence;
        this.overrides = overrides;
        this.ensureOpen = ensureOpen;
    }

    @Override
    public BalanceChange credit(long userId, Money amount, String operationId) {
        return adjust(userId, positive(amount), operationId);
    }

    @Override
    public BalanceChange debit(long userId, Money amount, String operationId) {
        return adjust(userId, positive(amount).negate(), operationId);
    }

    private BalanceChange adjust(long userId, Money delta, String operationId) {
        user(userId);
        UsageEvent.requireId(operationId, "operationId");
        return evictedAround(() -> coherence.evictOrOwe(EntryRef.balance(userId)),
                () -> s.balances().adjust(userId, delta, operationId));
    }

    @Override
    public void setBalance(long userId, Money balance) {
        user(userId);
        if (balance == null) {
            throw new IllegalArgumentException("balance must not be null");
        }
        evictedAround(() -> coherence.evictOrOwe(EntryRef.balance(userId)), () -> {
            s.balances().set(userId, balance);
            return null;
        });
    }

    @Override
    public void saveSubscription(SubscriptionState state) {
        if (state == null) {
            throw new IllegalArgumentException("state must not be null");
        }
        user(state.userId());
        group(state.groupId());
        evictedAround(() -> coherence.evictOrOwe(EntryRef.subscription(state.userId(), state.groupId())), () -> {
            s.subscriptions().save(state);
            return null;
        });
    }

    @Override
    public void setPlatformLimits(long userId, String platform, PeriodLimits limits) {
        user(userId);
        platform(platform);
        if (s.platformQuotas() == null) {
            throw new IllegalStateException("setPlatformLimits needs a platform quota store (Builder.platformQuotas)");
        }
        evictedAround(() -> coherence.evictOrOwe(EntryRef.platformQuota(userId, platform)), () -> {
            s.platformQuotas().setLimits(userId, platform, limits);
            return null;
        });
    }

    @Override
    public void setRpmOverride(long userId, long groupId, long rpm) {
        user(userId);
        group(groupId);
        if (rpm < 0) {
            throw new IllegalArgumentException("rpm must not be negative: " + rpm);
        }
        requireOverrideStore();
        ensureOpen.run();
        s.rpmOverrides().set(userId, groupId, rpm);
        overrides.forget(userId, groupId);
    }

    @Override
    public void removeRpmOverride(long userId, long groupId) {
        user(userId);
        group(groupId);
        requireOverrideStore();
        ensureOpen.run();
        s.rpmOverrides().remove(userId, groupId);
        overrides.forget(userId, groupId);
    }

    @Override
    public void userChanged(long userId) {
        user(userId);
        ensureOpen.run();
        coherence.evictOrOwe(EntryRef.balance(userId));
        for (String platform : s.platforms()) {
            coherence.evictOrOwe(EntryRef.platformQuota(userId, platform));
        }
        overrides.forgetUser(userId);
    }

    @Override
    public void platformChanged(long userId, String platform) {
        evictChanged(EntryRef.platformQuota(user(userId), platform(platform)));
    }

    @Override
    public void subscriptionChanged(long userId, long groupId) {
        evictChanged(EntryRef.subscription(user(userId), group(groupId)));
    }

    /** Evicts the cache entry of a row changed outside this gate (its arguments checked already). */
    private void evictChanged(EntryRef entry) {
        ensureOpen.run();
        coherence.evictOrOwe(entry);
    }

    /**
     * Evicts the entry, stores the change and evicts again: the first eviction's dirty marker keeps a refill that
     * raced the write out even if this process dies before the second; the second drops anything that landed.
     */
    private <T> T evictedAround(Runnable evict, Supplier<T> write) {
        ensureOpen.run();
        evict.run();
        T result = write.get();
        evict.run();
        return result;
    }

    private void requireOverrideStore() {
        if (s.rpmOverrides() == null) {
            throw new IllegalStateException("RPM overrides need an RPM override store (Builder.rpmOverrides)");
        }
    }

    /** @return {@code platform}, checked: not blank and, when platforms are configured, one of them */
    private String platform(String platform) {
        if (platform == null || platform.isBlank()) {
            throw new IllegalArgumentException("platform must not be blank");
        }
        Set<String> known = s.platforms();
        if (!known.isEmpty() && !known.contains(platform)) {
            throw new IllegalArgumentException("platform '" + platform + "' is not configured; known: " + known);
        }
        return platform;
    }

    private static Money positive(Money amount) {
        if (amount == null || amount.signum() <= 0) {
            throw new IllegalArgumentException("amount must be positive: " + amount);
        }
        return amount;
    }

    /** @return {@code userId}, checked positive */
    private static long user(long userId) {
        if (userId <= 0) {
            throw new IllegalArgumentException("userId must be positive: " + userId);
        }
        return userId;
    }

    /** @return {@code groupId}, checked positive */
    private static long group(long groupId) {
        if (groupId <= 0) {
            throw new IllegalArgumentException("groupId must be positive: " + groupId);
        }
        return groupId;
    }
}
