package dev.quota.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.quota.core.BatchingUsageWriter;
import dev.quota.core.BillingGate;
import dev.quota.core.decision.DenyReason;
import dev.quota.core.limit.CheckRequest;
import dev.quota.core.limit.RpmPlan;
import dev.quota.core.money.Money;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.UsageSink;
import dev.quota.core.usage.BillingMode;
import dev.quota.core.usage.UsageEvent;
import dev.quota.jdbc.Dialect;
import dev.quota.jdbc.JdbcQuota;
import dev.quota.redis.RedisQuota;
import dev.quota.redis.RedisQuotaOptions;
import dev.quota.testkit.MutableClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.embedded.RedisServer;

/**
 * The gate on embedded Redis + H2 with a batching writer that stores nothing until told: after the Redis entry
 * is lost, checks answered from SQL count the usage the writer still holds, and the entry is refilled, exactly,
 * only once the writer has stored it. The writer's settle callbacks fire after the SQL commit.
 */
class LaggingWriterTest {

    private static final long USER = 1;

    private final MutableClock clock = MutableClock.startingAt("2026-11-16T02:00:00Z");
    private Path redisDir;
    private RedisServer redisServer;
    private RedisClient redis;
    private HikariDataSource dataSource;
    private JdbcQuota sql;
    private RedisQuota cache;
    private BatchingUsageWriter writer;
    private BillingGate gate;
    private int ids;

    @BeforeEach
    void start() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        redisDir = Files.createTempDirectory("quota-lagging-writer");
        redisServer = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"")
                .setting("appendonly no").setting("dir " + redisDir.toAbsolutePath()).build();
        redisServer.start();
        redis = RedisClient.builder().hostAndPort(new HostAndPort("127.0.0.1", port)).build();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:quota-lagging-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        config.setUsername("sa");
        config.setPassword("");
        dataSource = new HikariDataSource(config);
        sql = JdbcQuota.builder(dataSource).dialect(Dialect.H2).zone(DemoEnvironment.ZONE).clock(clock).build();
        sql.installSchema();
        cache = RedisQuota.create(redis, RedisQuotaOptions.builder().build());
        // Nothing is written before writer.flush(): a day of linger and room for everything.
        writer = sql.usageWriter().linger(Duration.ofDays(1)).batchSize(10_000).build();
        gate = BillingGate.builder().cache(cache.billingCache()).rpmCounter(cache.rpmCounter())
                .balances(sql.balances()).subscriptions(sql.subscriptions()).platformQuotas(sql.platformQuotas())
                .windowCounters(sql.windowCounters()).rpmOverrides(sql.rpmOverrides())
                .usageSink(new OnlyExplicitFlush(writer)).clock(clock).zone(DemoEnvironment.ZONE).build();
        sql.balances().set(USER, Money.parse("5"));
    }

    @AfterEach
    void stop() throws IOException {
        gate.close();
        writer.close();
        redis.close();
        redisServer.stop();
        sql.close();
        dataSource.close();
        try (var files = Files.walk(redisDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aLostEntryIsCheckedWithTheUnstoredUsageAndRefilledOnlyOnceItIsStored() {
        gate.check(request());
        gate.flush();
        assertThat(cachedBalance()).isEqualTo(Money.parse("5"));

        cache.billingCache().evictBalance(USER); // e.g. lost in a Redis restart
        gate.record(usage("2"));
        gate.record(usage("2.5"));
        assertThat(gate.check(request()).allowed()).as("5 - 4.5 USD").isTrue();
        gate.record(usage("1"));
        assertThat(gate.check(request()).reason()).as("5 - 5.5 USD while SQL still says 5")
                .isEqualTo(DenyReason.INSUFFICIENT_BALANCE);
        assertThat(sql.balances().find(USER)).contains(Money.parse("5"));

        clearDirtyMarkers();
        gate.check(request());
        gate.flush();
        assertThat(cachedBalance()).as("nothing refilled while the writer holds usage").isNull();

        writer.flush();
        assertThat(sql.balances().find(USER)).contains(Money.parse("-0.5"));
        clearDirtyMarkers();
        assertThat(gate.check(request()).reason()).isEqualTo(DenyReason.INSUFFICIENT_BALANCE);
        gate.flush();
        assertThat(cachedBalance()).as("refilled from SQL once stored").isEqualTo(Money.parse("-0.5"));
    }

    /** Dirty markers expire by Redis's clock; the test drops them instead of waiting. */
    private void clearDirtyMarkers() {
        for (String marker : redis.keys("quota:*:dirty")) {
            redis.del(marker);
        }
    }

    private Money cachedBalance() {
        return cache.billingCache().check(new CacheCheck(CheckRequest.builder(USER).build(), RpmPlan.NONE,
                clock.instant(), DemoEnvironment.ZONE)).balance();
    }

    private static CheckRequest request() {
        return CheckRequest.builder(USER).noGroupRpmOverride().build();
    }

    private UsageEvent usage(String cost) {
        return UsageEvent.builder("lag-" + ++ids, USER).billingMode(BillingMode.BALANCE).totalCost(Money.parse(cost))
                .occurredAt(clock.instant()).build();
    }

    /** The writer, except that the gate's flush() leaves it alone: only the test makes it catch up. */
    private static final class OnlyExplicitFlush implements UsageSink {
        private final UsageSink writer;

        OnlyExplicitFlush(UsageSink writer) {
            this.writer = writer;
        }

        @Override
        public void submit(UsageEvent event) {
            writer.submit(event);
        }

        @Override
        public void submit(UsageEvent event, Runnable onSettled) {
            writer.submit(event, onSettled);
        }

        @Override
        public void flush() {
            // the writer lags: only the test flushes it
        }

        @Override
        public void close() {
            // the test closes the writer
        }
    }
}
