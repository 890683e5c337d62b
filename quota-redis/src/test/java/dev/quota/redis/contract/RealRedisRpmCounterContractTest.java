package dev.quota.redis.contract;

import dev.quota.core.spi.RpmCounter;
import dev.quota.redis.RedisQuota;
import dev.quota.redis.RedisQuotaOptions;
import dev.quota.redis.support.RealRedis;
import dev.quota.testkit.contract.RpmCounterContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The {@link RpmCounterContract} on the machine's Redis named by {@code QUOTA_TEST_REDIS_URL} (fails, never skips, when it is unreachable). */
@EnabledIfEnvironmentVariable(named = RealRedis.ENV, matches = ".+")
class RealRedisRpmCounterContractTest extends RpmCounterContract {

    private static RealRedis redis;

    @BeforeAll
    static void startRedis() {
        redis = RealRedis.fromEnvironment();
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
