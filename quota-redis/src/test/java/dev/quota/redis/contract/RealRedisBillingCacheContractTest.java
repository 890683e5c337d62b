package dev.quota.redis.contract;

import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.redis.RedisQuota;
import dev.quota.redis.RedisQuotaOptions;
import dev.quota.redis.support.RealRedis;
import dev.quota.testkit.contract.BillingCacheContract;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The {@link BillingCacheContract} on the machine's Redis named by {@code QUOTA_TEST_REDIS_URL} (fails, never skips, when it is unreachable). */
@EnabledIfEnvironmentVariable(named = RealRedis.ENV, matches = ".+")
class RealRedisBillingCacheContractTest extends BillingCacheContract {

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
        quota = RedisQuota.create(redis.client(), options().keyPrefix(redis.newPrefix()).build());
        return quota.billingCache();
    }

    /** @return the adapter's options before the key prefix: the defaults (functions on a Redis 7) */
    protected RedisQuotaOptions.Builder options() {
        return RedisQuotaOptions.builder();
    }

    @Override
    protected void putRawHash(CacheEntryKind kind, long userId, String qualifier, Map<String, String> fields) {
        RawEntries.put(redis.client(), quota.keys(), kind, userId, qualifier, fields);
    }
}
