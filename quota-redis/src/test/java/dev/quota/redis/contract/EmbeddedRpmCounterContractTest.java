package dev.quota.redis.contract;

import dev.quota.core.spi.RpmCounter;
import dev.quota.redis.RedisQuota;
import dev.quota.redis.RedisQuotaOptions;
import dev.quota.redis.support.EmbeddedRedis;
import dev.quota.testkit.contract.RpmCounterContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The {@link RpmCounterContract} on the embedded redis-server (always runs). */
class EmbeddedRpmCounterContractTest extends RpmCounterContract {

    private static EmbeddedRedis redis;

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
    protected RpmCounter createCounter() {
        return RedisQuota.create(redis.client(), RedisQuotaOptions.builder().keyPrefix(redis.newPrefix()).build())
                .rpmCounter();
    }
}
