package dev.quota.redis.contract;

import dev.quota.core.spi.RpmCounter;
import dev.quota.redis.RedisQuota;
import dev.quota.redis.RedisQuotaOptions;
import dev.quota.redis.support.LocalRedisCluster;
import dev.quota.redis.support.RedisTarget;
import dev.quota.redis.support.SharedRedisCluster;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.quota.testkit.contract.RpmCounterContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The {@link RpmCounterContract} on the run's three-master Redis Cluster, through {@code RedisClusterClient}. */
@ExtendWith(SharedRedisCluster.class)
class ClusterRpmCounterContractTest extends RpmCounterContract {

    private static RedisTarget redis;

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
    protected RpmCounter createCounter() {
        return RedisQuota.create(redis.client(), RedisQuotaOptions.builder().keyPrefix(redis.newPrefix()).build())
                .rpmCounter();
    }
}
