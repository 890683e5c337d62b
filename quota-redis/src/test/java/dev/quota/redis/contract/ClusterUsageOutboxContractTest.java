package dev.quota.redis.contract;

import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.UsageOutbox;
import dev.quota.redis.RedisQuota;
import dev.quota.redis.RedisQuotaOptions;
import dev.quota.redis.support.RedisTarget;
import dev.quota.redis.support.SharedRedisCluster;
import dev.quota.testkit.contract.UsageOutboxContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@link UsageOutboxContract} on the run's three-master Redis Cluster, through {@code RedisClusterClient}:
 * every apply writes the user's keys and its shard's outbox in one slot, and claims read every shard's slot.
 */
@ExtendWith(SharedRedisCluster.class)
class ClusterUsageOutboxContractTest extends UsageOutboxContract {

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
    protected UsageOutbox outboxOf(BillingCache cache) {
        return quota.usageOutbox();
    }
}
