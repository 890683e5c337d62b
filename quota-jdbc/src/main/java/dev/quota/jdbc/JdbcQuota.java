package dev.quota.jdbc;

import dev.quota.core.BatchingUsageWriter;
import dev.quota.core.QuotaTime;
import dev.quota.core.spi.Pingable;
import dev.quota.core.spi.BalanceStore;
import dev.quota.core.spi.PlatformQuotaStore;
import dev.quota.core.spi.RollupStore;
import dev.quota.core.spi.RpmOverrideStore;
import dev.quota.core.spi.StatisticsStore;
import dev.quota.core.spi.UsageAggregates;
import dev.quota.core.spi.SubscriptionStore;
import dev.quota.core.spi.UsageLedger;
import dev.quota.core.spi.UsageLog;
import dev.quota.core.spi.WindowCounterStore;
import dev.quota.core.BackendUnavailableException;
import java.time.Clock;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quota's SQL source of truth: every store port, the usage ledger and its reports on one database
 * (PostgreSQL, MySQL/MariaDB or H2), through JDBI.
 *
 * <pre>{@code
 * JdbcQuota sql = JdbcQuota.builder(dataSource).zone(ZoneId.of("Asia/Shanghai")).build();
 * sql.installSchema();                       // or run the Flyway scripts under db/quota/<dialect>/
 * BalanceStore balances = sql.balances();
 * UsageSink sink = sql.usageWriter().build(); // batches into sql.ledger(): log + counters, once per (user, request id)
 * }</pre>
 *
 * <p>All tables carry a prefix ({@value SchemaInstaller#DEFAULT_PREFIX} by default), so several
 * independent installations can share one schema. Every time value is bound from the caller (the ports'
 * {@code now} arguments, or the {@linkplain Builder#clock clock} for the reports), never read from the
 * database's clock. Stores report database failures as
 * {@link dev.quota.core.BackendUnavailableException} and reject bad arguments with
 * {@link IllegalArgumentException} before running any SQL.
 *
 * <p>Thread-safe: one instance serves the whole application. {@link #close()} closes the connection pool
 * only when this instance created it ({@link #hikari}).
 */
public final class JdbcQuota implements AutoCloseable, Pingable {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcQuota.class);

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final String prefix;
    private final ZoneId zone;
    private final Clock clock;
    private final AutoCloseable owned;
    private final BalanceStore balances;
    private final SubscriptionStore subscriptions;
    private final WindowCounterStore windowCounters;
    private final PlatformQuotaStore platformQuotas;
    private final RpmOverrideStore rpmOverrides;
    private final UsageLog usageLog;
    private final UsageLedger ledger;
    private final RollupStore rollups;
    private final StatisticsStore statistics;
    private final UsageAggregates aggregates;
    private final UsageReports reports;

    private JdbcQuota(Builder b, Dialect dialect, AutoCloseable owned) {
        this.jdbi = b.jdbi;
        this.dialect = dialect;
        this.prefix = b.prefix;
        this.zone = b.zone;
        this.clock = b.clock;
        this.owned = owned;
        Db db = new Db(jdbi, dialect, prefix);
        JdbcBalanceStore balanceStore = new JdbcBalanceStore(db, clock);
        JdbcSubscriptionStore subscriptionStore = new JdbcSubscriptionStore(db);
        JdbcWindowCounterStore counterStore = new JdbcWindowCounterStore(db);
        JdbcPlatformQuotaStore platformStore = new JdbcPlatformQuotaStore(db);
        JdbcUsageLog log = new JdbcUsageLog(db);
        this.balances = balanceStore;
        this.subscriptions = subscriptionStore;
        this.windowCounters = counterStore;
        this.platformQuotas = platformStore;
        this.rpmOverrides = new JdbcRpmOverrideStore(db);
        this.usageLog = log;
        this.ledger = new JdbcUsageLedger(db, log, balanceStore, subscriptionStore, platformStore, counterStore);
        this.rollups = new JdbcRollupStore(db);
        this.statistics = new JdbcStatisticsStore(db);
        this.aggregates = new JdbcUsageAggregates(db);
        this.reports = new JdbcUsageReports(db, zone, clock, b.userQuerySpan);
    }

    /**
     * Uses a {@link Jdbi} with default settings (prefix {@value SchemaInstaller#DEFAULT_PREFIX}, UTC reports,
     * system clock).
     *
     * @param jdbi the database
     * @param dialect its dialect
     * @return the adapter (the schema is not installed; see {@link #installSchema()})
     */
    public static JdbcQuota create(Jdbi jdbi, Dialect dialect) {
        return builder(jdbi).dialect(dialect).build();
    }

    /**
     * Uses a {@link DataSource} (typically the application's pool) with default settings.
     *
     * @param dataSource the database
     * @param dialect its dialect
     * @return the adapter (the schema is not installed; see {@link #installSchema()})
     */
    public static JdbcQuota create(DataSource dataSource, Dialect dialect) {
        return builder(dataSource).dialect(dialect).build();
    }

    /**
     * Opens a HikariCP pool of its own (HikariCP must be on the classpath) with default settings and the
     * dialect detected from the server; {@link #close()} closes the pool.
     *
     * @param jdbcUrl the JDBC URL, e.g. {@code jdbc:postgresql://db:5432/gateway}
     * @param user the user, or {@code null} when the URL carries it
     * @param password the password, or {@code null}
     * @return the adapter (the schema is not installed; see {@link #installSchema()})
     * @throws dev.quota.core.BackendUnavailableException when the database cannot be reached
     */
    public static JdbcQuota hikari(String jdbcUrl, String user, String password) {
        return hikari(jdbcUrl, user, password, new QuotaTime(Clock.systemUTC(), ZoneOffset.UTC));
    }

    /**
     * The same as {@link #hikari(String, String, String)} in the deployment's clock and business zone.
     *
     * @param jdbcUrl the JDBC URL, e.g. {@code jdbc:postgresql://db:5432/gateway}
     * @param user the user, or {@code null} when the URL carries it
     * @param password the password, or {@code null}
     * @param time the clock and business zone (see {@link Builder#time})
     * @return the adapter (the schema is not installed; see {@link #installSchema()})
     * @throws dev.quota.core.BackendUnavailableException when the database cannot be reached
     */
    public static JdbcQuota hikari(String jdbcUrl, String user, String password, QuotaTime time) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(time, "time");
        var pool = HikariSupport.pool(jdbcUrl, user, password);
        try {
            Builder b = builder(pool).time(time);
            return new JdbcQuota(b, Dialect.detect(pool), pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * @param jdbi the database
     * @return a builder
     */
    public static Builder builder(Jdbi jdbi) {
        return new Builder(Objects.requireNonNull(jdbi, "jdbi"));
    }

    /**
     * @param dataSource the database
     * @return a builder
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Jdbi.create(Objects.requireNonNull(dataSource, "dataSource")));
    }

    /** @return users' balances */
    public BalanceStore balances() {
        return balances;
    }

    /** @return subscriptions and their rolling windows */
    public SubscriptionStore subscriptions() {
        return subscriptions;
    }

    /** @return generic window counters (e.g. API key spend windows) */
    public WindowCounterStore windowCounters() {
        return windowCounters;
    }

    /** @return user x platform quota records and the configured defaults */
    public PlatformQuotaStore platformQuotas() {
        return platformQuotas;
    }

    /** @return user x group RPM overrides */
    public RpmOverrideStore rpmOverrides() {
        return rpmOverrides;
    }

    /** @return the usage ledger (put a {@link BatchingUsageWriter} in front of it on the request path) */
    public UsageLog usageLog() {
        return usageLog;
    }

    /**
     * @return the durable recording step: appends each event to {@link #usageLog()} and applies it to
     *         {@link #balances()}, {@link #subscriptions()}, {@link #platformQuotas()} and the API key counters
     *         in {@link #windowCounters()}, in one transaction, once per (user, request id); events the
     *         database refuses as data go to the {@code <prefix>usage_dead_letter} table
     */
    public UsageLedger ledger() {
        return ledger;
    }

    /**
     * A {@link BatchingUsageWriter} builder that applies events to {@link #ledger()} with this instance's
     * clock and business zone: the usage sink to give a {@code BillingGate}.
     *
     * @return the builder (adjust and {@code build()} it)
     */
    public BatchingUsageWriter.Builder usageWriter() {
        return BatchingUsageWriter.builder(ledger, time());
    }

    /** @return hourly roll-ups */
    public RollupStore rollups() {
        return rollups;
    }

    /** @return daily statistics and the persisted summary */
    public StatisticsStore statistics() {
        return statistics;
    }

    /**
     * The ledger aggregated in the database for {@link dev.quota.core.stats.StatsAggregator} (pass it to
     * {@code StatsAggregator.builder(...).aggregates(...)}): a business day costs two grouped queries instead of
     * a paged pass over its events.
     *
     * @return the aggregation; thread-safe
     */
    public UsageAggregates aggregates() {
        return aggregates;
    }

    /** @return the reporting queries on the ledger, in this instance's business zone and clock */
    public UsageReports reports() {
        return reports;
    }

    /** @return an installer for this instance's dialect and table prefix */
    public SchemaInstaller schemaInstaller() {
        return SchemaInstaller.create(jdbi, dialect, prefix, clock);
    }

    /**
     * Installs or upgrades the tables (idempotent); see {@link SchemaInstaller#install()}.
     *
     * @return the versions applied by this call
     * @throws BackendUnavailableException when the database fails
     */
    public List<Integer> installSchema() {
        return schemaInstaller().install();
    }

    /**
     * Runs one query of a Quota table that reads no rows: proves the database answers and the schema is installed
     * (use it to check the configuration at start-up). The balance and subscription stores ping the same way,
     * which is what {@link dev.quota.core.BillingGate#health()} uses.
     *
     * @throws dev.quota.core.BackendUnavailableException when the database does not answer or the
     *     {@code balance} table is missing
     */
    @Override
    public void ping() {
        ((Pingable) balances).ping();
    }

    /** @return the dialect */
    public Dialect dialect() {
        return dialect;
    }

    /** @return the table-name prefix */
    public String tablePrefix() {
        return prefix;
    }

    /** @return the business zone of the reports */
    public ZoneId zone() {
        return zone;
    }

    /**
     * @return this instance's clock and business zone, the ones {@link #usageWriter()} hands on (a gate built with
     *         that writer inherits them unless it sets its own)
     */
    public QuotaTime time() {
        return new QuotaTime(clock, zone);
    }

    /** @return the Jdbi all stores use */
    public Jdbi jdbi() {
        return jdbi;
    }

    /** Closes the connection pool when this instance opened it ({@link #hikari}); otherwise does nothing. */
    @Override
    public void close() {
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                LOG.warn("Closing the Quota connection pool failed: {}", e.toString());
            }
        }
    }

    /** The longest range a user-facing report query may span unless configured: one month. */
    public static final Period DEFAULT_USER_QUERY_SPAN = Period.ofMonths(1);

    /** Builder for {@link JdbcQuota}; validates eagerly. Not thread-safe. */
    public static final class Builder {
        private final Jdbi jdbi;
        private Dialect dialect;
        private String prefix = SchemaInstaller.DEFAULT_PREFIX;
        private ZoneId zone = ZoneOffset.UTC;
        private Clock clock = Clock.systemUTC();
        private Period userQuerySpan = DEFAULT_USER_QUERY_SPAN;

        private Builder(Jdbi jdbi) {
            this.jdbi = jdbi;
        }

        /**
         * @param dialect the dialect; detected from the connection metadata when not set
         * @return this
         */
        public Builder dialect(Dialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /**
         * @param tablePrefix the table-name prefix (default {@value SchemaInstaller#DEFAULT_PREFIX}): empty, or
         *                    up to 30 characters of {@code [a-z0-9_]} not starting with a digit
         * @return this
         * @throws IllegalArgumentException if the prefix is invalid
         */
        public Builder tablePrefix(String tablePrefix) {
            this.prefix = SchemaInstaller.validatePrefix(tablePrefix);
            return this;
        }

        /**
         * @param zone the business zone whose days, weeks and hours the reports and {@link #usageWriter()}
         *             follow (default UTC)
         * @return this
         */
        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /**
         * @param clock the clock for "today" and "recent" in reports, for {@link #usageWriter()}'s window math
         *              and for schema installation times (default the system UTC clock)
         * @return this
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets the {@linkplain #clock clock} and the {@linkplain #zone business zone} at once: the deployment's one
         * time configuration, which {@link #usageWriter()} hands on to the gate.
         *
         * @param time the clock and zone
         * @return this
         */
        public Builder time(QuotaTime time) {
            Objects.requireNonNull(time, "time");
            this.clock = time.clock();
            this.zone = time.zone();
            return this;
        }

        /**
         * @param span the longest range a user-facing report query may span ({@link UsageReports#forUser});
         *             default {@link JdbcQuota#DEFAULT_USER_QUERY_SPAN}. Admin queries have no cap.
         * @return this
         * @throws IllegalArgumentException if the span is null, zero or negative
         */
        public Builder userQuerySpan(Period span) {
            this.userQuerySpan = JdbcUserUsageReports.checkSpan(span);
            return this;
        }

        /**
         * @return the adapter; when no dialect was set it is detected now, which opens one connection
         * @throws BackendUnavailableException when the dialect must be detected and the database is unreachable
         */
        public JdbcQuota build() {
            return new JdbcQuota(this, dialect != null ? dialect : Dialect.detect(jdbi), null);
        }
    }
}
