package dev.quota.core.spi;

import java.util.Objects;

/**
 * The identity of one cache entry: what {@link BillingCache#evict} drops and what a {@link CacheEntry} is stored
 * under. One permitted record per entry kind; build them with the static factories.
 */
public sealed interface EntryRef
        permits EntryRef.BalanceRef, EntryRef.SubscriptionRef, EntryRef.PlatformQuotaRef, EntryRef.KeyUsageRef {

    /**
     * @return the user owning the entry
     */
    long userId();

    /**
     * @return the entry's kind
     */
    CacheEntryKind kind();

    /**
     * @param userId the user
     * @return the reference of the user's balance
     */
    static EntryRef balance(long userId) {
        return new BalanceRef(userId);
    }

    /**
     * @param userId the user
     * @param groupId the group
     * @return the reference of the user's subscription to the group
     */
    static EntryRef subscription(long userId, long groupId) {
        return new SubscriptionRef(userId, groupId);
    }

    /**
     * @param userId the user
     * @param platform the platform
     * @return the reference of the user × platform quota entry
     */
    static EntryRef platformQuota(long userId, String platform) {
        return new PlatformQuotaRef(userId, platform);
    }

    /**
     * @param userId the key's owner
     * @param apiKeyId the API key
     * @return the reference of the key's window usage
     */
    static EntryRef keyUsage(long userId, long apiKeyId) {
        return new KeyUsageRef(userId, apiKeyId);
    }

    /**
     * A user's balance.
     *
     * @param userId the user
     */
    record BalanceRef(long userId) implements EntryRef {
        @Override
        public CacheEntryKind kind() {
            return CacheEntryKind.BALANCE;
        }
    }

    /**
     * A user's subscription to a group.
     *
     * @param userId the user
     * @param groupId the group
     */
    record SubscriptionRef(long userId, long groupId) implements EntryRef {
        @Override
        public CacheEntryKind kind() {
            return CacheEntryKind.SUBSCRIPTION;
        }
    }

    /**
     * A user × platform quota entry.
     *
     * @param userId the user
     * @param platform the platform
     */
    record PlatformQuotaRef(long userId, String platform) implements EntryRef {
        /**
         * @param userId the user
         * @param platform the platform
         */
        public PlatformQuotaRef {
            Objects.requireNonNull(platform, "platform");
        }

        @Override
        public CacheEntryKind kind() {
            return CacheEntryKind.PLATFORM_QUOTA;
        }
    }

    /**
     * An API key's 5 h / 1 d / 7 d window usage.
     *
     * @param userId the key's owner
     * @param apiKeyId the key
     */
    record KeyUsageRef(long userId, long apiKeyId) implements EntryRef {
        @Override
        public CacheEntryKind kind() {
            return CacheEntryKind.KEY_USAGE;
        }
    }
}
