package dev.quota.redis.contract;

import dev.quota.redis.support.SharedRedisCluster;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RedisContractsSuite} on the run's three-master Redis Cluster, through {@code RedisClusterClient}. */
@ExtendWith(SharedRedisCluster.class)
class ClusterContractsTest extends RedisContractsSuite {

    @RegisterExtension
    static final RedisServer REDIS = RedisServer.of(SharedRedisCluster::get);

    ClusterContractsTest() {
        super(REDIS);
    }
}
