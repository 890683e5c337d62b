package dev.quota.redis.contract;

import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.spi.RpmCounter;
import dev.quota.core.spi.UsageOutbox;
import dev.quota.redis.RedisQuota;
import dev.quota.redis.RedisQuotaOptions;
import dev.quota.redis.support.RedisTarget;
import dev.quota.testkit.contract.BillingCacheContracts;
import dev.quota.testkit.contract.RpmCounterContract;
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
abstract class RedisContractsSuite extends BillingCacheContracts {

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

    /** The cache hook of the cache contracts ({@link BillingCacheContracts}): a new adapter under a prefix of its own. */
    @Override
    public BillingCache createCache() {
        cacheAdapter = newAdapter();
        return cacheAdapter.billingCache();
    }

    /** The raw-entry hook of the cache contracts: {@code DEL} and {@code HSET} under the test's prefix. */
    @Override
    public void putRawHash(BillingCache cache, CacheEntryKind kind, long userId, String qualifier,
                           Map<String, String> fields) {
        RawEntries.put(server.get().client(), cacheAdapter.keys(), kind, userId, qualifier, fields);
    }

    /** The outbox hook of the outbox contract: the running test's adapter's. */
    @Override
    public UsageOutbox outboxOf(BillingCache cache) {
        return cacheAdapter.usageOutbox();
    }

    @Nested
    class Rpm extends RpmCounterContract {
        @Override
        protected RpmCounter createStore() {
            return newAdapter().rpmCounter();
        }
    }
}
