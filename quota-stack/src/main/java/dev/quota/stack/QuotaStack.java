package dev.quota.stack;

import dev.quota.core.BatchingUsageWriter;
import dev.quota.core.BillingGate;
import dev.quota.core.QuotaTime;
import dev.quota.core.spi.UsageSink;
import dev.quota.jdbc.JdbcQuota;
import dev.quota.redis.RedisQuota;
import dev.quota.redis.RedisQuotaOptions;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import redis.clients.jedis.UnifiedJedis;

/**
 * The standard deployment in one builder: a {@link BillingGate} with Redis as the cache ({@link RedisQuota}: the
 * billing cache, the requests-per-minute counter and the usage outbox) in front of SQL as the source of truth
 * ({@link JdbcQuota}: every store and the batching usage writer), all on one clock and business zone.
 *
 * <pre>{@code
 * QuotaStack quota = QuotaStack.builder(dataSource)                // your pool, e.g. HikariCP
 *     .time(QuotaTime.systemIn(ZoneId.of("Asia/Shanghai")))        // windows roll at its midnight
 *     .redis(RedisClient.create("127.0.0.1", 6379))                // or a RedisClusterClient; omit for SQL alone
 *     .installSchema(true)                                         // or Flyway: db/quota/<dialect>/V*.sql
 *     .build();
 * BillingGate gate = quota.gate();                                 // quota.close() on shutdown flushes usage to SQL
 * }</pre>
 *
 * <p>It wires exactly what a gateway would wire by hand from the two adapters (see the root README's "Wiring by
 * hand"), so everything either adapter offers stays reachable through {@link #sql()} and {@link #redis()}: reports,
 * the ledger, the schema installer, the key layout. The stack does not own the data source nor the Redis client:
 * closing them is the caller's job, after {@link #close()}. Immutable and thread-safe.
 */
public final class QuotaStack implements AutoCloseable {

    private final BillingGate gate;
    private final JdbcQuota sql;
    private final RedisQuota redis;

    private QuotaStack(BillingGate gate, JdbcQuota sql, RedisQuota redis) {
        this.gate = gate;
        this.sql = sql;
        this.redis = redis;
    }

    /**
     * Starts a stack on a data source. Creating the builder does no I/O.
     *
     * @param dataSource the database (PostgreSQL, MySQL/MariaDB or H2; the dialect is detected), not closed by the
     *                   stack
     * @return a builder with the defaults: UTC on the system clock, no Redis (the gate answers from SQL), the
     *         default table prefix, the schema not installed
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(JdbcQuota.builder(Objects.requireNonNull(dataSource, "dataSource")), null);
    }

    /**
     * Starts a stack on an SQL adapter already built (for example a framework's bean): the stack's clock and zone
     * are the adapter's ({@link JdbcQuota#time()}), so {@link Builder#time} and {@link Builder#tablePrefix} are
     * refused on this builder; everything else is as with {@link #builder(DataSource)}.
     *
     * @param sql the SQL adapter, not closed by the stack
     * @return a builder with the defaults: no Redis, the schema not installed
     */
    public static Builder builder(JdbcQuota sql) {
        return new Builder(null, Objects.requireNonNull(sql, "sql"));
    }

    /** @return the gate; thread-safe, one per application */
    public BillingGate gate() {
        return gate;
    }

    /** @return the SQL adapter the gate's stores and usage writer come from (reports, ledger, schema) */
    public JdbcQuota sql() {
        return sql;
    }

    /** @return the Redis adapter the gate's cache comes from; empty when the stack runs on SQL alone */
    public Optional<RedisQuota> redis() {
        return Optional.ofNullable(redis);
    }

    /** @return the clock and business zone every part of the stack shares */
    public QuotaTime time() {
        return sql.time();
    }

    /**
     * Closes the gate, which flushes recorded usage to SQL and stops its writer. The data source and the Redis
     * client stay open (the caller owns them). Idempotent.
     */
    @Override
    public void close() {
        gate.close();
    }

    /**
     * Builder of a {@link QuotaStack}; validates eagerly. Not thread-safe.
     */
    public static final class Builder {
        /** The adapter's builder, or null when the stack was given a built adapter ({@link #sql}). */
        private final JdbcQuota.Builder sqlBuilder;
        private final JdbcQuota sql;
        private QuotaTime time = QuotaTime.UTC;
        private UnifiedJedis jedis;
        private RedisQuotaOptions redisOptions = RedisQuotaOptions.defaults();
        private boolean installSchema;
        private Consumer<BatchingUsageWriter.Builder> writerSettings = w -> { };
        private Consumer<BillingGate.Builder> gateSettings = g -> { };

        private Builder(JdbcQuota.Builder sqlBuilder, JdbcQuota sql) {
            this.sqlBuilder = sqlBuilder;
            this.sql = sql;
        }

        /** Refuses a setting of the SQL adapter when the adapter was given built. */
        private void requireUnbuiltAdapter(String setting) {
            if (sql != null) {
                throw new IllegalStateException(setting + " is the given JdbcQuota's: set it on JdbcQuota.builder()");
            }
        }

        /**
         * @param time the clock and business zone of every part: the gate's windows, the SQL windows and roll-ups,
         *             the reports (default {@link QuotaTime#UTC})
         * @return this
         * @throws IllegalStateException on a builder of {@link QuotaStack#builder(JdbcQuota)}
         */
        public Builder time(QuotaTime time) {
            requireUnbuiltAdapter("the time");
            this.time = Objects.requireNonNull(time, "time");
            return this;
        }

        /**
         * Puts Redis in front of SQL with {@link RedisQuotaOptions#defaults()}.
         *
         * @param client a standalone {@code RedisClient}, a {@code RedisClusterClient} or any {@link UnifiedJedis};
         *               not closed by the stack
         * @return this
         */
        public Builder redis(UnifiedJedis client) {
            return redis(client, RedisQuotaOptions.defaults());
        }

        /**
         * Puts Redis in front of SQL.
         *
         * @param client the client; not closed by the stack
         * @param options the Redis adapter's options (key prefix, TTLs, shards, functions, outbox)
         * @return this
         */
        public Builder redis(UnifiedJedis client, RedisQuotaOptions options) {
            this.jedis = Objects.requireNonNull(client, "client");
            this.redisOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * @param tablePrefix the SQL table-name prefix: empty, or up to 30 characters of {@code [a-z0-9_]} not
         *                    starting with a digit (default {@code quota_})
         * @return this
         * @throws IllegalArgumentException if the prefix is invalid
         * @throws IllegalStateException on a builder of {@link QuotaStack#builder(JdbcQuota)}
         */
        public Builder tablePrefix(String tablePrefix) {
            requireUnbuiltAdapter("the table prefix");
            sqlBuilder.tablePrefix(tablePrefix);
            return this;
        }

        /**
         * @param install true to create or migrate the schema in {@link #build()} ({@link JdbcQuota#installSchema()});
         *                default false (the application runs the migrations, e.g. with Flyway)
         * @return this
         */
        public Builder installSchema(boolean install) {
            this.installSchema = install;
            return this;
        }

        /**
         * @param settings further settings of the batching usage writer (batch size, linger, buffer, retries), applied
         *                 after the stack set its ledger and time
         * @return this
         */
        public Builder usageWriter(Consumer<BatchingUsageWriter.Builder> settings) {
            this.writerSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * @param settings further settings of the gate (listener, breaker, platforms, failure policies, load timeout,
         *                 simple mode...), applied after the stack set its stores, cache and usage sink; a clock or
         *                 zone set here must agree with {@link #time}, or {@link #build()} fails
         * @return this
         */
        public Builder gate(Consumer<BillingGate.Builder> settings) {
            this.gateSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Builds the SQL adapter unless it was given (detecting the dialect: one connection), installs the schema when asked, starts the
         * usage writer and builds the gate.
         *
         * @return the stack
         * @throws dev.quota.core.BackendUnavailableException when the database cannot be reached to detect its
         *         dialect or install the schema
         * @throws IllegalStateException when the settings disagree (a zone set on the gate that is not
         *         {@link #time}'s); the usage writer started for the gate is closed again
         */
        public QuotaStack build() {
            JdbcQuota sql = this.sql != null ? this.sql : sqlBuilder.time(time).build();
            if (installSchema) {
                sql.installSchema();
            }
            BatchingUsageWriter.Builder writer = sql.usageWriter();
            writerSettings.accept(writer);
            RedisQuota redis = jedis == null ? null : RedisQuota.create(jedis, redisOptions);
            UsageSink sink = writer.build();
            try {
                BillingGate.Builder gate = BillingGate.builder()
                        .balances(sql.balances()).subscriptions(sql.subscriptions())
                        .platformQuotas(sql.platformQuotas()).windowCounters(sql.windowCounters())
                        .rpmOverrides(sql.rpmOverrides()).usageSink(sink);
                if (redis != null) {
                    gate.cache(redis.billingCache()).rpmCounter(redis.rpmCounter()).outbox(redis.usageOutbox());
                }
                gateSettings.accept(gate);
                return new QuotaStack(gate.build(), sql, redis);
            } catch (RuntimeException e) {
                sink.close();
                throw e;
            }
        }
    }
}
