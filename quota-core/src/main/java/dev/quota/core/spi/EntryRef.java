package dev.quota.core.spi;

import dev.quota.core.CheckRequest;
import dev.quota.core.cache.BalanceEntry;
import dev.quota.core.cache.KeyModelUsageEntry;
import dev.quota.core.cache.KeyUsageEntry;
import dev.quota.core.cache.PlatformQuotaEntry;
import dev.quota.core.cache.SubscriptionEntry;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The identity of one cache entry: what {@link BillingCache#evict} drops and what a {@link CacheEntry} is stored
 * under. One permitted record per entry kind, which also knows how to {@link #decode} a hash stored under it;
 * build them with the static factories, or {@link #of(CacheEntryKind, CheckRequest)} for the entry a request reads.
 */
public sealed interface EntryRef
        permits EntryRef.BalanceRef, EntryRef.SubscriptionRef, EntryRef.PlatformQuotaRef, EntryRef.KeyUsageRef,
        EntryRef.KeyModelUsageRef {

    /**
     * @return the user owning the entry
     */
    long userId();

    /**
     * @return the entry's kind
     */
    CacheEntryKind kind();

    /**
     * Decodes a hash stored under this identity with its kind's codec ({@code dev.quota.core.cache}), so that
     * every cache reads an entry by one rule.
     *
     * @param hash the stored hash, or {@code null} when nothing is stored
     * @return the entry, empty when the hash is absent, of another schema version or corrupt
     */
    Optional<CacheEntry> decode(Map<String, String> hash);

    /**
     * @param kind an entry kind the request needs
     * @param request the request
     * @return the identity of the entry of that kind the request reads (its user's, for its group, platform, API
     *     key or key and model)
     */
    static EntryRef of(CacheEntryKind kind, CheckRequest request) {
        long user = request.userId();
        return switch (kind) {
            case BALANCE -> balance(user);
            case SUBSCRIPTION -> subscription(user, request.groupId());
            case PLATFORM_QUOTA -> platformQuota(user, request.platform());
            case KEY_USAGE -> keyUsage(user, request.apiKeyId());
            case KEY_MODEL_USAGE -> keyModelUsage(user, request.apiKeyId(), request.model());
        };
    }

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
     * @param userId the key's owner
     * @param apiKeyId the API key
     * @param model the model
     * @return the reference of the key's window usage on the model
     */
    static EntryRef keyModelUsage(long userId, long apiKeyId, String model) {
        return new KeyModelUsageRef(userId, apiKeyId, model);
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

        @Override
        public Optional<CacheEntry> decode(Map<String, String> hash) {
            return BalanceEntry.decode(hash).map(balance -> CacheEntry.of(userId, balance));
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

        @Override
        public Optional<CacheEntry> decode(Map<String, String> hash) {
            return SubscriptionEntry.decode(userId, groupId, hash).map(CacheEntry::of);
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

        @Override
        public Optional<CacheEntry> decode(Map<String, String> hash) {
            return PlatformQuotaEntry.decode(userId, platform, hash).map(CacheEntry::of);
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

        @Override
        public Optional<CacheEntry> decode(Map<String, String> hash) {
            return KeyUsageEntry.decode(userId, apiKeyId, hash).map(CacheEntry::of);
        }
    }

    /**
     * An API key's 5 h / 1 d / 7 d window usage on one model.
     *
     * @param userId the key's owner
     * @param apiKeyId the key
     * @param model the model
     */
    record KeyModelUsageRef(long userId, long apiKeyId, String model) implements EntryRef {
        /**
         * @param userId the key's owner
         * @param apiKeyId the key
         * @param model the model
         */
        public KeyModelUsageRef {
            Objects.requireNonNull(model, "model");
        }

        @Override
        public CacheEntryKind kind() {
            return CacheEntryKind.KEY_MODEL_USAGE;
        }

        @Override
        public Optional<CacheEntry> decode(Map<String, String> hash) {
            return KeyModelUsageEntry.decode(userId, apiKeyId, model, hash).map(CacheEntry::of);
        }
    }
}
