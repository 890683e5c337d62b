package dev.quota.redis.contract;

import dev.quota.redis.support.RealRedis;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RedisContractsSuite} on the machine's Redis named by {@code QUOTA_TEST_REDIS_URL} (fails, never skips,
 * when it is unreachable).
 */
@EnabledIfEnvironmentVariable(named = RealRedis.ENV, matches = ".+")
class RealRedisContractsTest extends RedisContractsSuite {

    @RegisterExtension
    static final RedisServer REDIS = RedisServer.of(RealRedis::fromEnvironment);

    RealRedisContractsTest() {
        super(REDIS);
    }
}
