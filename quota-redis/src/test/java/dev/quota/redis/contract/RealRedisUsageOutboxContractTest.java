package dev.quota.redis.contract;

import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.UsageOutbox;
import dev.quota.redis.RedisQuota;
import dev.quota.redis.RedisQuotaOptions;
import dev.quota.redis.support.RealRedis;
import dev.quota.testkit.contract.UsageOutboxContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The {@link UsageOutboxContract} on the machine's Redis named by {@code QUOTA_TEST_REDIS_URL} (fails, never skips, when it is unreachable). */
@EnabledIfEnvironmentVariable(named = RealRedis.ENV, matches = ".+")
class RealRedisUsageOutboxContractTest extends UsageOutboxContract {

    private static RealRedis redis;
    private RedisQuota quota;

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
    protected BillingCache createCache() {
        quota = RedisQuota.create(redis.client(), RedisQuotaOptions.builder().keyPrefix(redis.newPrefix()).build());
        return quota.billingCache();
    }

    @Override
    protected UsageOutbox outboxOf(BillingCache cache) {
        return quota.usageOutbox();
    }
}
