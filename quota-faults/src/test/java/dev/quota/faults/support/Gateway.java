package dev.quota.faults.support;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.quota.core.BatchingUsageWriter;
import dev.quota.core.BillingGate;
import dev.quota.core.CheckRequest;
import dev.quota.core.KeyLimits;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.Limit;
import dev.quota.core.limit.RpmPlan;
import dev.quota.core.Money;
import dev.quota.core.spi.CacheCheck;
import dev.quota.jdbc.Dialect;
import dev.quota.jdbc.JdbcQuota;
import dev.quota.redis.RedisQuota;
import dev.quota.redis.RedisQuotaOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import java.util.function.UnaryOperator;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/**
 * One gateway instance as a gateway team wires it through the public API: a Redis client with short timeouts,
 * {@link RedisQuota} (billing cache, RPM counter, usage outbox), {@link JdbcQuota} on a HikariCP pool, a
 * batching usage writer and the {@link BillingGate} with short timeouts, so a fault scenario takes seconds.
 * Used in-process by the tests and by the {@link ChildGateway} JVM. Closing it closes the gate (which flushes
 * and closes the writer), the Redis client and the pool.
 */
public final class Gateway implements AutoCloseable {

    /** The business zone of every scenario. */
    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /** The only platform the scenarios use. */
    public static final String PLATFORM = "anthropic";
    /** The API key limits of every scenario key: caps no scenario reaches, so the windows are counted. */
    public static final KeyLimits KEY_LIMITS = new KeyLimits(Limit.of(Money.ofUnits(100_000)),
            Limit.of(Money.ofUnits(100_000)), Limit.of(Money.ofUnits(100_000)));

    private final Settings settings;
    private final RedisClient redis;
    private final HikariDataSource dataSource;
    private final JdbcQuota sql;
    private final RedisQuota cache;
    private final BatchingUsageWriter writer;
    private final BillingGate gate;

    private Gateway(Settings s) {
        this.settings = s;
        this.redis = RedisClient.builder().hostAndPort("127.0.0.1", s.redisPort)
                .clientConfig(DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis(s.redisTimeoutMillis).socketTimeoutMillis(s.redisTimeoutMillis).build())
                .build();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(s.jdbcUrl);
        config.setMaximumPoolSize(s.poolSize);
        config.setConnectionTimeout(2_000);
        config.setValidationTimeout(1_000);
        config.setInitializationFailTimeout(-1); // a fault scenario may start the pool while the database is down
        this.dataSource = new HikariDataSource(config);
        this.sql = JdbcQuota.builder(dataSource).dialect(s.dialect).tablePrefix(s.tablePrefix).zone(ZONE).clock(s.clock).build();
        this.cache = RedisQuota.create(redis, RedisQuotaOptions.builder().keyPrefix(s.keyPrefix)
                .dirtyTtl(Duration.ofMillis(500)).build());
        this.writer = s.writer.apply(sql.usageWriter().batchSize(200).linger(Duration.ofMillis(20))
                .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .failedBatchDelay(Duration.ofMillis(100), Duration.ofMillis(500))
                .closeTimeout(Duration.ofSeconds(30))
                .threadName("quota-faults-writer")).build();
        BillingGate.Builder b = BillingGate.builder()
                .cache(cache.billingCache()).rpmCounter(cache.rpmCounter())
                .balances(sql.balances()).subscriptions(sql.subscriptions())
                .platformQuotas(sql.platformQuotas()).windowCounters(sql.windowCounters())
                .rpmOverrides(sql.rpmOverrides()).usageSink(writer)
                .outbox(cache.usageOutbox())
                .platforms(PLATFORM)
                .loadTimeout(Duration.ofSeconds(1))
                .cacheWritePool(4, 1000, Duration.ofSeconds(1))
                .circuitBreaker(1000, Duration.ofMillis(200), 1)
                .clock(s.clock).zone(ZONE);
        if (s.recoveryDrainer) {
            b.drainInterval(Duration.ofMillis(200)).drainIdle(Duration.ofSeconds(1));
        }
        this.gate = b.build();
    }

    /**
     * @param redisPort the loopback port of the redis-server
     * @param jdbcUrl the database (H2 or PostgreSQL)
     * @return settings with the defaults of the scenarios
     */
    public static Settings settings(int redisPort, String jdbcUrl) {
        return new Settings(redisPort, jdbcUrl);
    }

    /** Creates the schema (idempotent). */
    public void installSchema() {
        sql.installSchema();
    }

    /** @return the gate */
    public BillingGate gate() {
        return gate;
    }

    /** @return the SQL adapter */
    public JdbcQuota sql() {
        return sql;
    }

    /**
     * @param userId a user
     * @return the API key id the scenarios give that user (one key per user)
     */
    public static long apiKeyOf(long userId) {
        return 1_000 + userId;
    }

    /**
     * @param userId a user
     * @return the check request of the scenarios for that user: the platform and the user's API key
     */
    public static CheckRequest request(long userId) {
        return CheckRequest.builder(userId).platform(PLATFORM).apiKey(apiKeyOf(userId), KEY_LIMITS).build();
    }

    /**
     * @param userId a user
     * @return the API key windows the Redis cache holds for the user's key, or {@code null} when it holds none
     */
    public KeyUsage cachedKeyUsage(long userId) {
        return cache.billingCache().check(new CacheCheck(request(userId), RpmPlan.NONE, settings.clock.instant(),
                ZONE)).keyUsage();
    }

    /**
     * @param userId a user
     * @return the balance the Redis cache holds for the user, or {@code null} when it holds none
     */
    public Money cachedBalance(long userId) {
        return cache.billingCache().check(new CacheCheck(CheckRequest.builder(userId).build(), RpmPlan.NONE,
                settings.clock.instant(), ZONE)).balance();
    }

    /**
     * Waits until the usage outbox holds no entry (every recorded event's store commit was acknowledged).
     *
     * @param timeoutMillis the bound
     */
    public void awaitOutboxDrained(long timeoutMillis) {
        Processes.await("an empty usage outbox", timeoutMillis, () -> {
            try {
                return cache.usageOutbox().size() == 0;
            } catch (RuntimeException redisNotBack) {
                return false;
            }
        });
    }

    @Override
    public void close() {
        try {
            gate.close();
        } finally {
            redis.close();
            sql.close();
            dataSource.close();
        }
    }

    /** Settings of a {@link Gateway}; not thread-safe. */
    public static final class Settings {
        private final int redisPort;
        private final String jdbcUrl;
        private Dialect dialect;
        private String tablePrefix = "faults_";
        private String keyPrefix = "faults";
        private int redisTimeoutMillis = 300;
        private int poolSize = 8;
        private Clock clock = Clock.systemUTC();
        private UnaryOperator<BatchingUsageWriter.Builder> writer = UnaryOperator.identity();
        private boolean recoveryDrainer = true;

        private Settings(int redisPort, String jdbcUrl) {
            this.redisPort = redisPort;
            this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            this.dialect = jdbcUrl.startsWith("jdbc:postgresql:") ? Dialect.POSTGRESQL : Dialect.H2;
        }

        /**
         * @param prefix the SQL table prefix
         * @return this
         */
        public Settings tablePrefix(String prefix) {
            this.tablePrefix = prefix;
            return this;
        }

        /**
         * @param prefix the Redis key prefix
         * @return this
         */
        public Settings keyPrefix(String prefix) {
            this.keyPrefix = prefix;
            return this;
        }

        /**
         * @param millis Redis connect and socket timeout
         * @return this
         */
        public Settings redisTimeoutMillis(int millis) {
            this.redisTimeoutMillis = millis;
            return this;
        }

        /**
         * @param size the most pooled SQL connections
         * @return this
         */
        public Settings poolSize(int size) {
            this.poolSize = size;
            return this;
        }

        /**
         * @param settings changes to the usage writer's settings
         * @return this
         */
        public Settings writer(UnaryOperator<BatchingUsageWriter.Builder> settings) {
            this.writer = Objects.requireNonNull(settings, "writer");
            return this;
        }

        /**
         * @param on whether the gate's recovery drainer stores outbox entries older than one second (other
         *           instances' leftovers) every 200 ms (default, so that a scenario heals in seconds), instead of
         *           the library's defaults (60 s idle, every 10 s)
         * @return this
         */
        public Settings recoveryDrainer(boolean on) {
            this.recoveryDrainer = on;
            return this;
        }

        /** @return the gateway */
        public Gateway start() {
            return new Gateway(this);
        }
    }
}
