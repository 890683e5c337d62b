package dev.quota.core.spi;

import dev.quota.core.limit.BillingState;
import dev.quota.core.limit.KeyModelUsage;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.Money;
import java.util.EnumSet;
import java.util.Set;

/**
 * What {@link BillingCache#check} found: the entries that were present and valid, which needed entries
 * were missing (absent, of another schema version, or unparsable), and the RPM counts when the cache
 * counted them.
 *
 * @param balance the balance, or {@code null} when not needed or missing
 * @param subscription the subscription, or {@code null}
 * @param platformQuota the platform quota entry with its <em>effective</em> limits in
 *                      {@link PlatformQuotaRecord#limits()}, or {@code null}
 * @param keyUsage the key usage, or {@code null}
 * @param misses needed entries that were not usable
 * @param rpmCounted true when the RPM counters of the plan were incremented
 * @param groupRpmCount the user × group count after incrementing, or 0
 * @param userRpmCount the user's global count after incrementing, or 0
 * @param keyModelUsage the key's usage on the request's model, or {@code null}
 */
public record CheckView(Money balance, SubscriptionState subscription, PlatformQuotaRecord platformQuota,
                        KeyUsage keyUsage, Set<CacheEntryKind> misses, boolean rpmCounted,
                        long groupRpmCount, long userRpmCount, KeyModelUsage keyModelUsage) {

    /**
     * Copies the set.
     *
     * @param balance the balance, or {@code null} when not needed or missing
     * @param subscription the subscription, or {@code null}
     * @param platformQuota the platform quota entry with its <em>effective</em> limits in
     * @param keyUsage the key usage, or {@code null}
     * @param misses needed entries that were not usable
     * @param rpmCounted true when the RPM counters of the plan were incremented
     * @param groupRpmCount the user × group count after incrementing, or 0
     * @param userRpmCount the user's global count after incrementing, or 0
     * @param keyModelUsage the key's usage on the request's model, or {@code null}
     */
    public CheckView {
        misses = misses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(misses));
    }

    /**
     * A view without model usage.
     *
     * @param balance the balance, or {@code null} when not needed or missing
     * @param subscription the subscription, or {@code null}
     * @param platformQuota the platform quota entry with its effective limits, or {@code null}
     * @param keyUsage the key usage, or {@code null}
     * @param misses needed entries that were not usable
     * @param rpmCounted true when the RPM counters of the plan were incremented
     * @param groupRpmCount the user × group count after incrementing, or 0
     * @param userRpmCount the user's global count after incrementing, or 0
     */
    public CheckView(Money balance, SubscriptionState subscription, PlatformQuotaRecord platformQuota,
                     KeyUsage keyUsage, Set<CacheEntryKind> misses, boolean rpmCounted,
                     long groupRpmCount, long userRpmCount) {
        this(balance, subscription, platformQuota, keyUsage, misses, rpmCounted, groupRpmCount, userRpmCount, null);
    }

    /** @return true when every needed entry was usable */
    public boolean complete() {
        return misses.isEmpty();
    }

    /** @return the entries as a {@link BillingState} (platform limits taken from the entry) */
    public BillingState toState() {
        return new BillingState(balance, subscription, platformQuota,
                platformQuota == null ? null : platformQuota.limits(), keyUsage, keyModelUsage);
    }
}
