package dev.quota.redis;

import dev.quota.redis.support.RealRedis;
import dev.quota.redis.support.RedisTarget;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The adapter's behaviour on the machine's Redis named by {@code QUOTA_TEST_REDIS_URL}; runs only when the
 * variable is set and fails (never skips) when that server is unreachable.
 */
@EnabledIfEnvironmentVariable(named = RealRedis.ENV, matches = ".+")
class RealRedisAdapterTest extends RedisAdapterBehaviour {

    @Override
    protected RedisTarget openTarget() {
        return RealRedis.fromEnvironment();
    }
}
