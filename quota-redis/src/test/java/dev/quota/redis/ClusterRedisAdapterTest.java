package dev.quota.redis;

import dev.quota.redis.support.LocalRedisCluster;
import dev.quota.redis.support.RedisTarget;
import dev.quota.redis.support.SharedRedisCluster;
import org.junit.jupiter.api.extension.ExtendWith;

/** The adapter's behaviour on the run's three-master Redis Cluster, through {@code RedisClusterClient}. */
@ExtendWith(SharedRedisCluster.class)
class ClusterRedisAdapterTest extends RedisAdapterBehaviour {

    @Override
    protected RedisTarget openTarget() {
        return SharedRedisCluster.get();
    }
}
