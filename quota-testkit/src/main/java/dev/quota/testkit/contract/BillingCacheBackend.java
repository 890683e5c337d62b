package dev.quota.testkit.contract;

import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.spi.UsageOutbox;
import java.util.Map;

/**
 * What a backend supplies to the {@link BillingCache} contracts and the {@link UsageOutboxContract}, once for
 * all: the test class that holds the contracts as {@code @Nested} classes implements it (most simply by extending
 * {@link BillingCacheContracts}, which declares them), and each contract finds it among the enclosing test
 * instances.
 *
 * JUnit makes a new instance of the enclosing class for every test of a {@code @Nested} class, so an
 * implementation may keep the running test's state (an adapter, a key prefix) in fields.
 */
public interface BillingCacheBackend {

    /**
     * Creates the cache under test. Called before every test; each call must return a cache that sees no
     * entries, holds, applied request ids or RPM counts of earlier tests (a fresh instance or key prefix),
     * because the tests reuse ids.
     *
     * @return an empty cache
     */
    BillingCache createCache();

    /**
     * Writes a raw cache entry into {@code cache} exactly as stored (for Redis: {@code DEL} then {@code HSET} of
     * the entry's key), so the contracts can plant entries of another schema version or with corrupt fields.
     *
     * @param cache the cache of the running test, as {@link #createCache()} returned it
     * @param kind the entry kind
     * @param userId the owning user
     * @param qualifier {@code null} for {@link CacheEntryKind#BALANCE}; the group id in decimal for
     *                  {@link CacheEntryKind#SUBSCRIPTION}; the platform name for
     *                  {@link CacheEntryKind#PLATFORM_QUOTA}; the API key id in decimal for
     *                  {@link CacheEntryKind#KEY_USAGE}; {@code <api key id>:<model>} for
     *                  {@link CacheEntryKind#KEY_MODEL_USAGE}
     * @param fields the hash fields, never empty
     */
    void putRawHash(BillingCache cache, CacheEntryKind kind, long userId, String qualifier,
                    Map<String, String> fields);

    /**
     * @param cache the cache of the running test, as {@link #createCache()} returned it
     * @return the outbox that cache appends recorded usage to (for {@link UsageOutboxContract}); a cache in front
     *     of SQL keeps one (the durable hand-off of recorded usage)
     */
    UsageOutbox outboxOf(BillingCache cache);
}
