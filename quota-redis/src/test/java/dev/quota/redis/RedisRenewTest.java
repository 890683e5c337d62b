package dev.quota.redis;

import static dev.quota.redis.Fixtures.NOW;
import static dev.quota.redis.Fixtures.balanceRequest;
import static dev.quota.redis.Fixtures.check;
import static dev.quota.redis.Fixtures.rpm;
import static dev.quota.redis.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.spi.CacheEntry;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.Hold;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** {@code renew.lua}: the holds hash lives at least as long as its longest hold after a renewal. */
class RedisRenewTest extends OnEmbeddedRedis {

    @Test
    void aRenewalLengthensTheHoldsHashTtlByTheExtension() {
        RedisQuota quota = newQuota(RedisQuotaOptions.builder());
        BillingCache cache = quota.billingCache();
        UnifiedJedis jedis = redis.client();
        long user = 3;
        cache.put(CacheEntry.of(user, usd("10")));
        cache.reserve(check(balanceRequest(user, null, null), rpm(null, null)),
                new Hold("h1", usd("1"), NOW.plus(Duration.ofMinutes(5))));
        assertThat(jedis.pttl(quota.keys().holds(user))).isBetween(1L, Duration.ofMinutes(5).toMillis());

        assertThat(cache.renew(user, "h1", NOW.plus(Duration.ofMinutes(60)))).isTrue();

        // 55 minutes added to what was left of the 5 (a few ms of the test's own run may have passed)
        assertThat(jedis.pttl(quota.keys().holds(user)))
                .isBetween(Duration.ofMinutes(59).toMillis(), Duration.ofMinutes(60).toMillis());
        assertThat(jedis.hget(quota.keys().holds(user), "h1"))
                .contains("\"x\":\"" + NOW.plus(Duration.ofMinutes(60)).toEpochMilli() + "\"");
    }

    @Test
    void renewingAHoldOfAnAbsentHashCreatesNothing() {
        RedisQuota quota = newQuota(RedisQuotaOptions.builder());

        assertThat(quota.billingCache().renew(4, "h1", NOW.plus(Duration.ofMinutes(60)))).isFalse();

        assertThat(redis.client().exists(quota.keys().holds(4))).isFalse();
    }
}
