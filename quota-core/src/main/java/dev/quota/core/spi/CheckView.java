package dev.quota.core.spi;

import dev.quota.core.limit.BillingState;
import dev.quota.core.limit.KeyModelUsage;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.Money;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link BillingCache#check} found: the entries that were present and valid, which needed entries
 * were missing (absent, of another schema version, or unparsable), and the RPM counts when the cache
 * counted them. A cache builds it entry by entry with {@link #builder()}.
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

    /**
     * @return an empty builder, to be given each needed entry as the cache reads it
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Collects what a cache read for each needed entry into a {@link CheckView}: a usable entry fills its
     * component, anything else makes its kind a miss. Not thread-safe; one per read.
     */
    public static final class Builder {

        private final Set<CacheEntryKind> misses = EnumSet.noneOf(CacheEntryKind.class);
        private Money balance;
        private SubscriptionState subscription;
        private PlatformQuotaRecord platformQuota;
        private KeyUsage keyUsage;
        private KeyModelUsage keyModelUsage;

        private Builder() {
        }

        /**
         * Adds what the cache read for one needed entry.
         *
         * @param kind the needed entry's kind
         * @param entry the usable entry (as {@link EntryRef#decode} answers), or empty when it is absent, of
         *     another schema version or corrupt: then the kind is a miss
         * @return this builder
         * @throws IllegalArgumentException when the entry is of another kind
         */
        public Builder entry(CacheEntryKind kind, Optional<CacheEntry> entry) {
            Objects.requireNonNull(kind, "kind");
            if (entry.isEmpty()) {
                misses.add(kind);
                return this;
            }
            CacheEntry found = entry.get();
            if (found.ref().kind() != kind) {
                throw new IllegalArgumentException("a " + found.ref().kind() + " entry read as " + kind);
            }
            if (found instanceof CacheEntry.Balance b) {
                balance = b.balance();
            } else if (found instanceof CacheEntry.Subscription s) {
                subscription = s.state();
            } else if (found instanceof CacheEntry.PlatformQuota p) {
                platformQuota = p.quota();
            } else if (found instanceof CacheEntry.ApiKeyUsage k) {
                keyUsage = k.usage();
            } else if (found instanceof CacheEntry.ApiKeyModelUsage m) {
                keyModelUsage = m.usage();
            }
            return this;
        }

        /**
         * @param rpmCounted true when the RPM counters of the plan were incremented
         * @param groupRpmCount the user × group count after incrementing, or 0
         * @param userRpmCount the user's global count after incrementing, or 0
         * @return the view of the entries added so far
         */
        public CheckView build(boolean rpmCounted, long groupRpmCount, long userRpmCount) {
            return new CheckView(balance, subscription, platformQuota, keyUsage, misses, rpmCounted, groupRpmCount,
                    userRpmCount, keyModelUsage);
        }
    }
}
