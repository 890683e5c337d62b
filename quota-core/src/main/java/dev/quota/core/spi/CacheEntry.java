package dev.quota.core.spi;

import dev.quota.core.Money;
import dev.quota.core.cache.BalanceEntry;
import dev.quota.core.cache.KeyUsageEntry;
import dev.quota.core.cache.PlatformQuotaEntry;
import dev.quota.core.cache.SubscriptionEntry;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.limit.SubscriptionState;
import java.util.Map;
import java.util.Objects;

/**
 * A value the {@link BillingCache} holds, as {@link BillingCache#put} refills it from the stores: one permitted
 * record per entry kind, each with its {@link #ref() identity} and its hash encoding (the codecs of
 * {@code dev.quota.core.cache}). Adding an entry kind means one permitted record here, its {@link EntryRef} and its
 * codec. Build them with the {@code of} factories.
 */
public sealed interface CacheEntry
        permits CacheEntry.Balance, CacheEntry.Subscription, CacheEntry.PlatformQuota, CacheEntry.ApiKeyUsage {

    /**
     * @return the entry's identity (its kind, user and qualifier)
     */
    EntryRef ref();

    /**
     * @return the cache hash of this value, schema version ({@code sv}) included
     */
    Map<String, String> encode();

    /**
     * @return the current schema version of this kind's hash
     */
    int schemaVersion();

    /**
     * @param userId the user
     * @param balance the balance
     * @return the balance entry
     */
    static CacheEntry of(long userId, Money balance) {
        return new Balance(userId, balance);
    }

    /**
     * @param state the subscription
     * @return the subscription entry
     */
    static CacheEntry of(SubscriptionState state) {
        return new Subscription(state);
    }

    /**
     * @param quota the user × platform quota with its effective limits (never {@code null} limits)
     * @return the platform quota entry
     */
    static CacheEntry of(PlatformQuotaRecord quota) {
        return new PlatformQuota(quota);
    }

    /**
     * @param usage the API key window usage
     * @return the key usage entry
     */
    static CacheEntry of(KeyUsage usage) {
        return new ApiKeyUsage(usage);
    }

    /**
     * A user's balance.
     *
     * @param userId the user
     * @param balance the balance
     */
    record Balance(long userId, Money balance) implements CacheEntry {
        /**
         * @param userId the user
         * @param balance the balance
         */
        public Balance {
            Objects.requireNonNull(balance, "balance");
        }

        @Override
        public EntryRef ref() {
            return EntryRef.balance(userId);
        }

        @Override
        public Map<String, String> encode() {
            return BalanceEntry.encode(balance);
        }

        @Override
        public int schemaVersion() {
            return BalanceEntry.SCHEMA_VERSION;
        }
    }

    /**
     * A user's subscription to a group with its window usage.
     *
     * @param state the subscription
     */
    record Subscription(SubscriptionState state) implements CacheEntry {
        /**
         * @param state the subscription
         */
        public Subscription {
            Objects.requireNonNull(state, "state");
        }

        @Override
        public EntryRef ref() {
            return EntryRef.subscription(state.userId(), state.groupId());
        }

        @Override
        public Map<String, String> encode() {
            return SubscriptionEntry.encode(state);
        }

        @Override
        public int schemaVersion() {
            return SubscriptionEntry.SCHEMA_VERSION;
        }
    }

    /**
     * A user × platform quota entry: usage, window starts and the effective limits.
     *
     * @param quota the entry; its limits are the effective ones (the user's own, else the resolved default)
     */
    record PlatformQuota(PlatformQuotaRecord quota) implements CacheEntry {
        /**
         * @param quota the entry, with a platform that is not blank
         */
        public PlatformQuota {
            Objects.requireNonNull(quota, "quota");
        }

        @Override
        public EntryRef ref() {
            return EntryRef.platformQuota(quota.userId(), quota.platform());
        }

        @Override
        public Map<String, String> encode() {
            return PlatformQuotaEntry.encode(quota);
        }

        @Override
        public int schemaVersion() {
            return PlatformQuotaEntry.SCHEMA_VERSION;
        }
    }

    /**
     * An API key's 5 h / 1 d / 7 d window usage.
     *
     * @param usage the usage
     */
    record ApiKeyUsage(KeyUsage usage) implements CacheEntry {
        /**
         * @param usage the usage
         */
        public ApiKeyUsage {
            Objects.requireNonNull(usage, "usage");
        }

        @Override
        public EntryRef ref() {
            return EntryRef.keyUsage(usage.userId(), usage.apiKeyId());
        }

        @Override
        public Map<String, String> encode() {
            return KeyUsageEntry.encode(usage);
        }

        @Override
        public int schemaVersion() {
            return KeyUsageEntry.SCHEMA_VERSION;
        }
    }
}
