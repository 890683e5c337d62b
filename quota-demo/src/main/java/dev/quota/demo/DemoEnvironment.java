package dev.quota.demo;

import dev.quota.core.BatchingUsageWriter;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.quota.core.BillingGate;
import dev.quota.core.limit.CheckRequest;
import dev.quota.core.limit.RpmPlan;
import dev.quota.core.money.Money;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.UsageSink;

import dev.quota.jdbc.Dialect;
import dev.quota.jdbc.JdbcQuota;
import dev.quota.redis.RedisQuota;
import dev.quota.redis.RedisQuotaOptions;
import dev.quota.testkit.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.UUID;
import java.util.function.UnaryOperator;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.embedded.RedisServer;

/**
 * Everything the demo gateway runs on, all in this process: an embedded redis-server on a free loopback
 * port, an in-memory H2 database behind HikariCP with Quota's schema, the Redis and SQL adapters, a batching
 * usage writer and the {@link BillingGate} wired to all of them on a simulated clock.
 */
public final class DemoEnvironment implements AutoCloseable {

    /** The business time zone of the demo. */
    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private final MutableClock clock;
    private final Path redisDir;
    private final RedisServer redisServer;
    private final RedisClient redis;
    private final HikariDataSource dataSource;
    private final JdbcQuota sql;
    private final RedisQuota cache;
    private final BatchingUsageWriter writer;
    private final BillingGate gate;

    private DemoEnvironment(MutableClock clock, UnaryOperator<BatchingUsageWriter.Builder> writerSettings,
                            UnaryOperator<UsageSink> gateSink) throws IOException {
        this.clock = clock;
        int port = freePort();
        this.redisDir = Files.createTempDirectory("quota-demo-redis");
        this.redisServer = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                .setting("save \"\"").setting("appendonly no").setting("dir " + redisDir.toAbsolutePath()).build();
        redisServer.start();
        this.redis = RedisClient.builder().hostAndPort(new HostAndPort("127.0.0.1", port)).build();

        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:quota-demo-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(8);
        this.dataSource = new HikariDataSource(config);
        this.sql = JdbcQuota.builder(dataSource).dialect(Dialect.H2).zone(ZONE).clock(clock).build();
        sql.installSchema();

        // Simulated days pass in wall-clock seconds, while dirty markers expire by Redis's own clock. The dirty
        // TTL must exceed the writer's lag; the simulation flushes the writer after every tick, so the lag is
        // at most one tick's work, and one second keeps a slow or busy machine inside the bound without
        // reading most of the run from SQL.
        this.cache = RedisQuota.create(redis, RedisQuotaOptions.builder().dirtyTtl(Duration.ofSeconds(1)).build());
        this.writer = writerSettings.apply(sql.usageWriter().batchSize(200).linger(Duration.ofMillis(20))).build();
        this.gate = BillingGate.builder()
                .cache(cache.billingCache()).rpmCounter(cache.rpmCounter()).outbox(cache.usageOutbox())
                .balances(sql.balances()).subscriptions(sql.subscriptions())
                .platformQuotas(sql.platformQuotas()).windowCounters(sql.windowCounters())
                .rpmOverrides(sql.rpmOverrides()).usageSink(gateSink.apply(writer))
                .platforms("anthropic", "openai")
                .clock(clock).zone(ZONE)
                .build();
    }

    /**
     * Starts everything.
     *
     * @param clock the simulated clock
     * @return the running environment
     */
    public static DemoEnvironment start(MutableClock clock) {
        return start(clock, UnaryOperator.identity(), UnaryOperator.identity());
    }

    /**
     * Starts everything with a differently configured usage writer, or with the gate seeing the writer
     * through a wrapper (the gate closes the sink it was given).
     */
    static DemoEnvironment start(MutableClock clock, UnaryOperator<BatchingUsageWriter.Builder> writerSettings,
                                 UnaryOperator<UsageSink> gateSink) {
        try {
            return new DemoEnvironment(clock, writerSettings, gateSink);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the demo environment", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** @return the simulated clock */
    public MutableClock clock() {
        return clock;
    }

    /** @return the gate */
    public BillingGate gate() {
        return gate;
    }

    /** @return the SQL adapter */
    public JdbcQuota sql() {
        return sql;
    }

    /** @return the Redis adapter */
    public RedisQuota cache() {
        return cache;
    }

    /** @return the Redis client */
    public RedisClient redis() {
        return redis;
    }

    /**
     * @param userId a user
     * @return the balance Redis holds for the user, or {@code null} when it holds none
     */
    public Money cachedBalance(long userId) {
        return cache.billingCache().check(new CacheCheck(CheckRequest.builder(userId).build(), RpmPlan.NONE,
                clock.instant(), ZONE)).balance();
    }

    /**
     * Drops every dirty marker, so that refills are accepted at once instead of after the markers lapse by
     * Redis's own clock (simulated time does not move them).
     */
    public void dropDirtyMarkers() {
        for (String marker : redis.keys("quota:*:dirty")) {
            redis.del(marker);
        }
    }

    /** @return the usage writer */
    public BatchingUsageWriter writer() {
        return writer;
    }

    /**
     * Stops the embedded redis-server, as an outage would ({@link #close()} still works afterwards).
     *
     * @throws UncheckedIOException when it cannot be stopped
     */
    public void stopRedis() {
        try {
            redisServer.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the embedded Redis", e);
        }
    }

    @Override
    public void close() {
        gate.close();
        redis.close();
        try {
            redisServer.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the embedded Redis", e);
        } finally {
            sql.close();
            dataSource.close();
            deleteRedisDir();
        }
    }

    private void deleteRedisDir() {
        dataSource.close();
        try (var files = Files.walk(redisDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
