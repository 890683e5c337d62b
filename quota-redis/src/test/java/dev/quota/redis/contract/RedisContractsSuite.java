package dev.quota.redis.contract;

import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.spi.RpmCounter;
import dev.quota.core.spi.UsageOutbox;
import dev.quota.redis.RedisQuota;
import dev.quota.redis.RedisQuotaOptions;
import dev.quota.redis.support.RedisTarget;
import dev.quota.testkit.contract.BillingCacheCheckContract;
import dev.quota.testkit.contract.BillingCacheHoldLifecycleContract;
import dev.quota.testkit.contract.BillingCacheRefillContract;
import dev.quota.testkit.contract.BillingCacheReservationContract;
import dev.quota.testkit.contract.BillingCacheUsageContract;
import dev.quota.testkit.contract.RpmCounterContract;
import dev.quota.testkit.contract.UsageOutboxContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

/**
 * The testkit's contracts the Redis adapter implements, written once as {@code @Nested} classes (in the manner of
 * Bucket4j's {@code AbstractDistributedBucketTest}); one small class per Redis ({@link EmbeddedContractsTest},
 * {@link RealRedisContractsTest}, {@link ClusterContractsTest}) says which server. Every test gets an adapter
 * under a key prefix of its own.
 */
abstract class RedisContractsSuite {

    /** The server of the concrete class (a static {@link RedisServer} registered there). */
    final RedisServer server;

    /** @param server the static {@link RedisServer} the concrete class registers */
    RedisContractsSuite(RedisServer server) {
        this.server = server;
    }

    /** @return the adapter's options before the key prefix: the defaults (functions on a Redis 7) */
    RedisQuotaOptions.Builder options() {
        return RedisQuotaOptions.builder();
    }

    /** The adapters of the running test, closed after it (which stops their pipelining, when on). */
    private final List<RedisQuota> adapters = new ArrayList<>();

    private RedisQuota newAdapter() {
        RedisTarget redis = server.get();
        RedisQuota adapter = RedisQuota.create(redis.client(), options().keyPrefix(redis.newPrefix()).build());
        adapters.add(adapter);
        return adapter;
    }

    @AfterEach
    void closeAdapters() {
        adapters.forEach(RedisQuota::close);
    }

    /**
     * The adapter of the running cache contract test: JUnit makes a new instance of this class for every test of
     * a {@code @Nested} class, so each test has its own.
     */
    private RedisQuota cacheAdapter;

    /** The cache hook of the cache contracts: a new adapter under a prefix of its own. */
    private BillingCache newCache() {
        cacheAdapter = newAdapter();
        return cacheAdapter.billingCache();
    }

    /** The raw-entry hook of the cache contracts: {@code DEL} and {@code HSET} under the test's prefix. */
    private void putRaw(CacheEntryKind kind, long userId, String qualifier, Map<String, String> fields) {
        RawEntries.put(server.get().client(), cacheAdapter.keys(), kind, userId, qualifier, fields);
    }

    @Nested
    class CacheChecks extends BillingCacheCheckContract {
        @Override
        protected BillingCache createCache() {
            return newCache();
        }

        @Override
        protected void putRawHash(CacheEntryKind kind, long userId, String qualifier, Map<String, String> fields) {
            putRaw(kind, userId, qualifier, fields);
        }
    }

    @Nested
    class CacheUsage extends BillingCacheUsageContract {
        @Override
        protected BillingCache createCache() {
            return newCache();
        }

        @Override
        protected void putRawHash(CacheEntryKind kind, long userId, String qualifier, Map<String, String> fields) {
            putRaw(kind, userId, qualifier, fields);
        }
    }

    @Nested
    class CacheRefills extends BillingCacheRefillContract {
        @Override
        protected BillingCache createCache() {
            return newCache();
        }

        @Override
        protected void putRawHash(CacheEntryKind kind, long userId, String qualifier, Map<String, String> fields) {
            putRaw(kind, userId, qualifier, fields);
        }
    }

    @Nested
    class CacheReservations extends BillingCacheReservationContract {
        @Override
        protected BillingCache createCache() {
            return newCache();
        }

        @Override
        protected void putRawHash(CacheEntryKind kind, long userId, String qualifier, Map<String, String> fields) {
            putRaw(kind, userId, qualifier, fields);
        }
    }

    @Nested
    class CacheHoldLifecycle extends BillingCacheHoldLifecycleContract {
        @Override
        protected BillingCache createCache() {
            return newCache();
        }

        @Override
        protected void putRawHash(CacheEntryKind kind, long userId, String qualifier, Map<String, String> fields) {
            putRaw(kind, userId, qualifier, fields);
        }
    }

    @Nested
    class Outbox extends UsageOutboxContract {
        private RedisQuota quota;

        @Override
        protected BillingCache createCache() {
            quota = newAdapter();
            return quota.billingCache();
        }

        @Override
        protected UsageOutbox outboxOf(BillingCache cache) {
            return quota.usageOutbox();
        }
    }

    @Nested
    class Rpm extends RpmCounterContract {
        @Override
        protected RpmCounter createCounter() {
            return newAdapter().rpmCounter();
        }
    }
}
