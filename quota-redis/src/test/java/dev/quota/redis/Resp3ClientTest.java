package dev.quota.redis;

import static dev.quota.redis.Fixtures.KEY;
import static dev.quota.redis.Fixtures.NOW;
import static dev.quota.redis.Fixtures.PLATFORM;
import static dev.quota.redis.Fixtures.ZONE;
import static dev.quota.redis.Fixtures.balanceEvent;
import static dev.quota.redis.Fixtures.balanceRequest;
import static dev.quota.redis.Fixtures.check;
import static dev.quota.redis.Fixtures.keyLimits;
import static dev.quota.redis.Fixtures.periodLimits;
import static dev.quota.redis.Fixtures.platformQuota;
import static dev.quota.redis.Fixtures.rpm;
import static dev.quota.redis.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.spi.CacheEntry;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.Holds;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.limit.QuotaWindows;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CheckView;
import dev.quota.core.spi.Hold;
import dev.quota.core.spi.ReserveView;
import dev.quota.core.window.WindowUsage;
import dev.quota.redis.support.EmbeddedRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;

/** The adapter reads script replies the same way when the client speaks RESP3 instead of RESP2. */
class Resp3ClientTest {

    private static EmbeddedRedis server;
    private static RedisClient resp3;

    @BeforeAll
    static void start() {
        server = EmbeddedRedis.start();
        resp3 = RedisClient.builder().hostAndPort(new HostAndPort("127.0.0.1", server.port()))
                .clientConfig(DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP3).build()).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (resp3 != null) {
            resp3.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void checkReserveRecordAndCountWorkOverResp3() {
        RedisQuota quota = RedisQuota.create(resp3, RedisQuotaOptions.builder().keyPrefix(server.newPrefix()).build());
        BillingCache cache = quota.billingCache();
        long user = 1;
        PlatformQuotaRecord pq = platformQuota(user, periodLimits("5", null, "7"), new WindowUsage(3, NOW),
                WindowUsage.EMPTY, WindowUsage.EMPTY);
        cache.put(CacheEntry.of(user, usd("10")));
        cache.put(CacheEntry.of(pq));
        cache.put(CacheEntry.of(KeyUsage.empty(user, KEY)));
        CheckRequest req = balanceRequest(user, PLATFORM, keyLimits("10", null, null));

        CheckView v = cache.check(check(req, rpm(5L, 10L)));
        ReserveView first = cache.reserve(check(req, rpm(null, null)), new Hold("a", usd("1"), NOW.plusSeconds(9)));
        ReserveView second = cache.reserve(check(req, rpm(null, null)), new Hold("b", usd("1"), NOW.plusSeconds(9)));
        boolean applied = cache.applyUsage(balanceEvent("r", user, usd("2"), PLATFORM, KEY), NOW, ZONE);

        assertThat(v.complete()).isTrue();
        assertThat(v.platformQuota()).isEqualTo(pq);
        assertThat(v.groupRpmCount()).isEqualTo(1);
        assertThat(v.userRpmCount()).isEqualTo(1);
        assertThat(first.admitted()).isTrue();
        assertThat(second.heldBefore()).isEqualTo(new Holds(usd("1").nanos(), 0, usd("1").nanos(), usd("1").nanos()));
        assertThat(applied).isTrue();
        assertThat(cache.check(check(req, rpm(null, null))).balance()).isEqualTo(usd("8"));
        assertThat(quota.rpmCounter().increment(user, null, QuotaWindows.RPM.bucketStart(NOW))).isEqualTo(2);
    }
}
