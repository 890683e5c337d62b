package dev.quota.redis.contract;

import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.redis.RedisQuota;
import dev.quota.redis.RedisQuotaOptions;
import dev.quota.redis.support.LocalRedisCluster;
import dev.quota.redis.support.RedisTarget;
import dev.quota.redis.support.SharedRedisCluster;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.quota.testkit.contract.BillingCacheContract;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The {@link BillingCacheContract} on the run's three-master Redis Cluster, through {@code RedisClusterClient}. */
@ExtendWith(SharedRedisCluster.class)
class ClusterBillingCacheContractTest extends BillingCacheContract {

    private static RedisTarget redis;
    private RedisQuota quota;

    @BeforeAll
    static void startRedis() {
        redis = SharedRedisCluster.get();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected BillingCache createCache() {
        quota = RedisQuota.create(redis.client(), RedisQuotaOptions.builder().keyPrefix(redis.newPrefix()).build());
        return quota.billingCache();
    }

    @Override
    protected void putRawHash(CacheEntryKind kind, long userId, String qualifier, Map<String, String> fields) {
        RawEntries.put(redis.client(), quota.keys(), kind, userId, qualifier, fields);
    }
}
