package dev.quota.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.limit.QuotaWindows;
import dev.quota.redis.support.RedisTarget;
import dev.quota.redis.support.SharedRedisCluster;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link RedisQuotaOptions.Builder#pipelining} on a {@code RedisClusterClient}, which cannot be pipelined: the
 * adapter works as without the option, through the client, and starts no thread.
 */
@ExtendWith(SharedRedisCluster.class)
class ClusterPipeliningFallbackTest {

    @Test
    void aClusterClientIsServedWithoutPipelining() {
        RedisTarget cluster = SharedRedisCluster.get();
        Instant bucket = QuotaWindows.RPM.bucketStart(Fixtures.NOW);
        long threadsBefore = pipelineThreads();

        try (RedisQuota quota = RedisQuota.create(cluster.client(),
                RedisQuotaOptions.builder().keyPrefix(cluster.newPrefix()).pipelining(2).build())) {
            for (long user = 1; user <= 20; user++) {
                assertThat(quota.rpmCounter().increment(user, null, bucket)).isEqualTo(1);
            }

            assertThat(pipelineThreads()).isEqualTo(threadsBefore);
        }
    }

    private static long pipelineThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("quota-redis-pipeline-")).count();
    }
}
