package dev.quota.it;

import dev.quota.core.BillingGate;
import dev.quota.core.spi.BalanceStore;
import dev.quota.core.spi.PlatformQuotaStore;
import dev.quota.core.spi.SubscriptionStore;
import dev.quota.jdbc.JdbcQuota;
import dev.quota.redis.RedisQuota;
import dev.quota.redis.RedisQuotaOptions;
import dev.quota.redis.support.EmbeddedRedis;
import dev.quota.redis.support.RealRedis;
import dev.quota.redis.support.RedisTarget;
import dev.quota.testkit.MutableClock;
import dev.quota.testkit.contract.BillingAdminContract;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The production stack for one test: the Redis adapter (embedded redis-server, or the machine's Redis when
 * {@code QUOTA_TEST_REDIS_URL} is set) with the SQL adapter on {@code sql}, one clock and one business zone.
 */
final class RedisSqlBackends implements BillingAdminContract.Backends {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private final RedisTarget redisTarget;
    private final SqlTarget sql;
    private final MutableClock clock = MutableClock.startingAt("2026-11-18T02:00:00Z");
    private final RedisQuota redis;
    private final JdbcQuota jdbc;

    RedisSqlBackends(SqlTarget sql) {
        this.sql = sql;
        String url = System.getenv(RealRedis.ENV);
        this.redisTarget = url == null || url.isBlank() ? EmbeddedRedis.start() : RealRedis.fromEnvironment();
        this.redis = RedisQuota.create(redisTarget.client(),
                RedisQuotaOptions.builder().keyPrefix(redisTarget.newPrefix()).build());
        this.jdbc = JdbcQuota.builder(sql.dataSource()).tablePrefix(sql.tablePrefix()).zone(ZONE).clock(clock).build();
        jdbc.installSchema();
    }

    @Override
    public BillingGate.Builder gateBuilder() {
        return BillingGate.builder()
                .cache(redis.billingCache()).rpmCounter(redis.rpmCounter()).outbox(redis.usageOutbox())
                .balances(jdbc.balances()).subscriptions(jdbc.subscriptions()).platformQuotas(jdbc.platformQuotas())
                .windowCounters(jdbc.windowCounters()).rpmOverrides(jdbc.rpmOverrides())
                .usageSink(jdbc.usageWriter().build())
                .clock(clock).zone(ZONE);
    }

    @Override
    public BalanceStore balances() {
        return jdbc.balances();
    }

    @Override
    public SubscriptionStore subscriptions() {
        return jdbc.subscriptions();
    }

    @Override
    public PlatformQuotaStore platformQuotas() {
        return jdbc.platformQuotas();
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public void close() throws Exception {
        try {
            redisTarget.close();
        } finally {
            sql.close();
        }
    }
}
