package dev.quota.testkit;

import dev.quota.core.cache.BalanceEntry;
import dev.quota.core.cache.KeyModelUsageEntry;
import dev.quota.core.cache.KeyUsageEntry;
import dev.quota.core.cache.PlatformQuotaEntry;
import dev.quota.core.cache.SubscriptionEntry;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.BillingMode;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageKey;
import dev.quota.core.spi.EntryRef;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Applies usage to the entries of an {@link InMemoryBillingCache} once per {@link UsageKey} (user × request id):
 * keeps the idempotency markers, changes only entries that exist and decode (resetting expired windows), marks an
 * absent or invalid target dirty, and appends newly applied usage to the outbox in the same step.
 *
 * <p>Not thread-safe: the owning cache calls it under its lock.
 */
final class CacheUsageApplier {

    private final CacheEntryStore store;
    private final InMemoryUsageOutbox outbox;
    private final Set<UsageKey> appliedKeys = new HashSet<>();

    CacheUsageApplier(CacheEntryStore store, InMemoryUsageOutbox outbox) {
        this.store = store;
        this.outbox = outbox;
    }

    /**
     * Applies the event unless its key was applied before.
     *
     * @return true when newly applied (marker set, outbox appended), false for a replay
     * @throws ArithmeticException when a counter would overflow; nothing is changed then
     */
    boolean apply(UsageEvent event, Instant now, ZoneId zone) {
        UsageKey usageKey = UsageKey.of(event);
        if (appliedKeys.contains(usageKey)) {
            return false;
        }
        long userId = event.userId();
        long cost = event.costs().actual().nanos();
        // Compute every new hash first, so that an overflow leaves the cache unchanged.
        Map<EntryRef, Map<String, String>> updates = new HashMap<>();
        if (event.billingMode() == BillingMode.BALANCE) {
            update(updates, EntryRef.balance(userId),
                    h -> BalanceEntry.decode(h).map(b -> BalanceEntry.encode(b.minus(event.costs().actual()))));
            if (event.platform() != null) {
                update(updates, EntryRef.platformQuota(userId, event.platform()),
                        h -> PlatformQuotaEntry.decode(userId, event.platform(), h)
                                .map(r -> PlatformQuotaEntry.encode(r.addUsage(cost, now, zone))));
            }
        } else if (event.billingMode() == BillingMode.SUBSCRIPTION) {
            long groupId = event.groupId();
            update(updates, EntryRef.subscription(userId, groupId),
                    h -> SubscriptionEntry.decode(userId, groupId, h)
                            .map(s -> SubscriptionEntry.encode(s.addUsage(cost, now))));
        }
        // BillingMode.NONE (simple mode) moves no counter: only the marker and the outbox entry are written.
        if (event.billingMode() != BillingMode.NONE && event.apiKeyId() != null) {
            long apiKeyId = event.apiKeyId();
            update(updates, EntryRef.keyUsage(userId, apiKeyId),
                    h -> KeyUsageEntry.decode(userId, apiKeyId, h)
                            .map(k -> KeyUsageEntry.encode(k.addUsage(cost, KeyUsage.countedTokens(event), now))));
            String model = event.model();
            if (model != null) {
                update(updates, EntryRef.keyModelUsage(userId, apiKeyId, model),
                        h -> KeyModelUsageEntry.decode(userId, apiKeyId, model, h)
                                .map(m -> KeyModelUsageEntry.encode(m.addUsage(cost, now))));
            }
        }
        updates.forEach(store::put);
        appliedKeys.add(usageKey);
        outbox.append(event, now);
        return true;
    }

    private void update(Map<EntryRef, Map<String, String>> updates, EntryRef key,
                        Function<Map<String, String>, Optional<Map<String, String>>> change) {
        Optional<Map<String, String>> changed = store.changed(key, change);
        if (changed.isPresent()) {
            updates.put(key, changed.get());
        } else {
            // Usage met the entry absent or invalid: a refill loaded before it must not land.
            store.markDirty(key);
        }
    }

    /** @return true when usage with this key was applied */
    boolean hasApplied(UsageKey key) {
        return appliedKeys.contains(key);
    }

    /** @return true when usage with this request id was applied for any user */
    boolean hasApplied(String requestId) {
        return appliedKeys.stream().anyMatch(k -> k.requestId().equals(requestId));
    }

    /** Forgets every applied key (the outbox is cleared by its owner). */
    void clear() {
        appliedKeys.clear();
    }
}
