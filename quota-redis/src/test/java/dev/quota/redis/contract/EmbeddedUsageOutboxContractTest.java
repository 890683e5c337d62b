package dev.quota.redis.contract;

import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.UsageOutbox;
import dev.quota.redis.RedisQuota;
import dev.quota.redis.RedisQuotaOptions;
import dev.quota.redis.support.EmbeddedRedis;
import dev.quota.testkit.contract.UsageOutboxContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The {@link UsageOutboxContract} on the embedded redis-server (always runs). */
class EmbeddedUsageOutboxContractTest extends UsageOutboxContract {

    private static EmbeddedRedis redis;
    private RedisQuota quota;

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.start();
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
