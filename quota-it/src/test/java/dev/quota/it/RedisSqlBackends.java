package dev.quota.it;

import dev.quota.core.BillingGate;
import dev.quota.jdbc.JdbcQuota;
import dev.quota.redis.RedisQuota;
import dev.quota.redis.RedisQuotaOptions;
import dev.quota.redis.support.EmbeddedRedis;
import dev.quota.redis.support.RealRedis;
import dev.quota.redis.support.RedisTarget;
import dev.quota.testkit.MutableClock;
import dev.quota.testkit.contract.BillingAdminContract.Backends;
import java.time.ZoneId;

/**
 * The production stack for one test: the Redis adapter (embedded redis-server, or the machine's Redis when
 * {@code QUOTA_TEST_REDIS_URL} is set) with the SQL adapter on {@code sql}, one clock and one business zone.
 */
final class RedisSqlBackends {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private RedisSqlBackends() {
    }

    /**
     * @param sql the database of the SQL adapter (closed with the backends)
     * @return the backends: the cache, the RPM counter and the outbox on Redis, every store and the sink on SQL
     */
    static Backends on(SqlTarget sql) {
        MutableClock clock = MutableClock.startingAt("2026-11-18T02:00:00Z");
        String url = System.getenv(RealRedis.ENV);
        RedisTarget redisTarget = url == null || url.isBlank() ? EmbeddedRedis.start() : RealRedis.fromEnvironment();
        RedisQuota redis = RedisQuota.create(redisTarget.client(),
                RedisQuotaOptions.builder().keyPrefix(redisTarget.newPrefix()).build());
        JdbcQuota jdbc = JdbcQuota.builder(sql.dataSource()).tablePrefix(sql.tablePrefix()).zone(ZONE).clock(clock)
                .build();
        jdbc.installSchema();
        return Backends.of(() -> BillingGate.builder()
                        .cache(redis.billingCache()).rpmCounter(redis.rpmCounter()).outbox(redis.usageOutbox())
                        .balances(jdbc.balances()).subscriptions(jdbc.subscriptions())
                        .platformQuotas(jdbc.platformQuotas())
                        .windowCounters(jdbc.windowCounters()).rpmOverrides(jdbc.rpmOverrides())
                        .usageSink(jdbc.usageWriter().build())
                        .clock(clock).zone(ZONE),
                jdbc.balances(), jdbc.subscriptions(), jdbc.platformQuotas(), clock, () -> {
                    try {
                        redisTarget.close();
                    } finally {
                        sql.close();
                    }
                });
    }
}
