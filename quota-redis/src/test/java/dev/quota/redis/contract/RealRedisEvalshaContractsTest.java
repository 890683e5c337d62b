package dev.quota.redis.contract;

import dev.quota.redis.RedisQuotaOptions;
import dev.quota.redis.support.RealRedis;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * {@link RedisContractsSuite} on the machine's Redis named by {@code QUOTA_TEST_REDIS_URL} with
 * {@link RedisQuotaOptions.Builder#functions} off: the {@code EVALSHA} path on a server that has functions.
 */
@EnabledIfEnvironmentVariable(named = RealRedis.ENV, matches = ".+")
class RealRedisEvalshaContractsTest extends RealRedisContractsTest {

    @Override
    RedisQuotaOptions.Builder options() {
        return RedisQuotaOptions.builder().functions(false);
    }
}
