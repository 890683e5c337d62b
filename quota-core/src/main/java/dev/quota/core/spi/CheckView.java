package dev.quota.core.spi;

import dev.quota.core.limit.BillingState;
import dev.quota.core.limit.KeyModelUsage;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.CheckRequest;
import dev.quota.core.Money;
import dev.quota.core.cache.BalanceEntry;
import dev.quota.core.cache.EntryFields;
import dev.quota.core.cache.KeyModelUsageEntry;
import dev.quota.core.cache.KeyUsageEntry;
import dev.quota.core.cache.PlatformQuotaEntry;
import dev.quota.core.cache.SubscriptionEntry;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Map;
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
     * component, anything else makes its kind a miss; the one rule by which every cache reads the entries of a
     * check. Not thread-safe; one per read.
     */
    public static final class Builder {

        /** Created at the first miss: a warm check allocates none. */
        private Set<CacheEntryKind> misses;
        private Money balance;
        private SubscriptionState subscription;
        private PlatformQuotaRecord platformQuota;
        private KeyUsage keyUsage;
        private KeyModelUsage keyModelUsage;

        private Builder() {
        }

        /**
         * Decodes what the cache holds for one needed entry with its kind's codec ({@code dev.quota.core.cache}),
         * under the request's user, group, platform, API key and model, and adds it: a usable entry fills its
         * component, anything else makes the kind a miss. Allocates nothing beyond what the codec does.
         *
         * @param kind the needed entry's kind
         * @param request the request whose entry it is
         * @param hash the stored hash, or {@code null} when nothing is stored
         * @return true when the entry was usable, false when it was absent, of another schema version or corrupt
         */
        public boolean read(CacheEntryKind kind, CheckRequest request, Map<String, String> hash) {
            return readFields(kind, request, hash == null || hash.isEmpty() ? null : hash::get);
        }

        /**
         * {@link #read} from the stored fields as an adapter holds them ({@link EntryFields}), without a
         * {@code String} per field.
         *
         * @param kind the needed entry's kind
         * @param request the request whose entry it is
         * @param fields the stored fields, or {@code null} when nothing is stored
         * @return true when the entry was usable, false when it was absent, of another schema version or corrupt
         */
        public boolean readFields(CacheEntryKind kind, CheckRequest request, EntryFields fields) {
            long user = request.userId();
            boolean found = fields != null && switch (kind) {
                case BALANCE -> (balance = BalanceEntry.decodeFields(fields).orElse(null)) != null;
                case SUBSCRIPTION -> (subscription = SubscriptionEntry.decodeFields(user, request.groupId(), fields)
                        .orElse(null)) != null;
                case PLATFORM_QUOTA -> (platformQuota = PlatformQuotaEntry.decodeFields(user, request.platform(),
                        fields).orElse(null)) != null;
                case KEY_USAGE -> (keyUsage = KeyUsageEntry.decodeFields(user, request.apiKeyId(), fields)
                        .orElse(null)) != null;
                case KEY_MODEL_USAGE -> (keyModelUsage = KeyModelUsageEntry.decodeFields(user, request.apiKeyId(),
                        request.model(), fields).orElse(null)) != null;
            };
            if (!found) {
                missed(kind);
            }
            return found;
        }

        /**
         * Adds a needed entry the cache could not use without decoding it (absent, or known to be foreign).
         *
         * @param kind the needed entry's kind
         * @return this builder
         */
        public Builder miss(CacheEntryKind kind) {
            missed(Objects.requireNonNull(kind, "kind"));
            return this;
        }

        private void missed(CacheEntryKind kind) {
            if (misses == null) {
                misses = EnumSet.noneOf(CacheEntryKind.class);
            }
            misses.add(kind);
        }

        /**
         * @param rpmCounted true when the RPM counters of the plan were incremented
         * @param groupRpmCount the user × group count after incrementing, or 0
         * @param userRpmCount the user's global count after incrementing, or 0
         * @return the view of the entries added so far
         */
        public CheckView build(boolean rpmCounted, long groupRpmCount, long userRpmCount) {
            return new CheckView(balance, subscription, platformQuota, keyUsage, misses == null ? Set.of() : misses,
                    rpmCounted, groupRpmCount, userRpmCount, keyModelUsage);
        }
    }
}
