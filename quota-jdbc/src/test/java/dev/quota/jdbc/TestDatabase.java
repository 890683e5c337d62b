package dev.quota.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * One isolated test database per test class: H2 in memory always; PostgreSQL (a fresh schema) when
 * {@value #POSTGRES_ENV} is set; MariaDB/MySQL (a fresh database) when {@value #MYSQL_ENV} is set. The
 * schema or database is named {@code quota_t_<random>} and dropped on {@link #close()}. A set variable whose
 * server is unreachable makes {@link #open} throw, so the suite fails instead of skipping.
 */
final class TestDatabase implements AutoCloseable {

    /** e.g. {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}. */
    static final String POSTGRES_ENV = "QUOTA_TEST_POSTGRES_URL";
    /** e.g. {@code jdbc:mariadb://127.0.0.1:3306/test?user=root} (or {@code jdbc:mysql://...}). */
    static final String MYSQL_ENV = "QUOTA_TEST_MYSQL_URL";

    /** The tables every prefix owns (the schema-version table aside). */
    static final List<String> TABLES = List.of("balance", "subscription", "window_counter", "platform_quota",
            "platform_quota_default", "rpm_override", "usage_log", "usage_hourly", "stats_daily", "usage_dead_letter",
            "stats_summary", "balance_operation", "api_key_usage", "api_key_model_usage");

    private static final Pattern MYSQL_URL = Pattern.compile("^(jdbc:(?:mariadb|mysql)://[^/?]+)(?:/([^?]*))?(\\?.*)?$");

    final Dialect dialect;
    final String name;
    final HikariDataSource pool;
    final Jdbi jdbi;
    private final String adminUrl;
    private final Set<String> installed = ConcurrentHashMap.newKeySet();

    private TestDatabase(Dialect dialect, String name, String adminUrl, String poolUrl) {
        this.dialect = dialect;
        this.name = name;
        this.adminUrl = adminUrl;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(poolUrl);
        config.setMaximumPoolSize(40);
        config.setMinimumIdle(1);
        config.setPoolName("quota-test-" + name);
        this.pool = new HikariDataSource(config);
        this.jdbi = Jdbi.create(pool);
    }

    static TestDatabase open(Dialect dialect) {
        String name = "quota_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        switch (dialect) {
            case H2 -> {
                return new TestDatabase(dialect, name, null, "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
            }
            case POSTGRESQL -> {
                String url = required(POSTGRES_ENV);
                admin(url, "CREATE SCHEMA " + name);
                return new TestDatabase(dialect, name, url, url + (url.contains("?") ? "&" : "?") + "currentSchema=" + name);
            }
            case MYSQL -> {
                String url = required(MYSQL_ENV);
                Matcher m = MYSQL_URL.matcher(url);
                if (!m.matches()) {
                    throw new IllegalStateException(MYSQL_ENV + " must look like jdbc:mariadb://host:port/db?user=root: " + url);
                }
                admin(url, "CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
                String params = m.group(3) == null ? "" : m.group(3);
                return new TestDatabase(dialect, name, url, m.group(1) + "/" + name + params);
            }
            default -> throw new IllegalArgumentException(dialect.toString());
        }
    }

    private static String required(String env) {
        String url = System.getenv(env);
        if (url == null || url.isBlank()) {
            throw new IllegalStateException(env + " is not set");
        }
        return url.strip();
    }

    private static void admin(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' on " + HikariSupport.redact(url) + ": "
                    + e.getMessage(), e);
        }
    }

    /** A fresh adapter on tables with {@code prefix}, installing them on first use. */
    JdbcQuota quota(String prefix, ZoneId zone, Clock clock) {
        JdbcQuota q = JdbcQuota.builder(jdbi).dialect(dialect).tablePrefix(prefix).zone(zone).clock(clock).build();
        if (installed.add(prefix)) {
            q.installSchema();
        }
        return q;
    }

    JdbcQuota quota(String prefix) {
        return quota(prefix, ZoneOffset.UTC, Clock.systemUTC());
    }

    /** Deletes every row of the prefix's tables. */
    void reset(String prefix) {
        jdbi.useHandle(h -> {
            for (String t : TABLES) {
                h.execute("DELETE FROM " + prefix + t);
            }
        });
    }

    long count(String table) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
    }

    void execute(String sql) {
        jdbi.useHandle(h -> h.execute(sql));
    }

    @Override
    public void close() {
        if (dialect == Dialect.H2) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            } catch (SQLException closingAShutDownConnection) {
                // expected: the connection dies with the database
            } finally {
                pool.close();
            }
            return;
        }
        pool.close();
        admin(adminUrl, dialect == Dialect.POSTGRESQL ? "DROP SCHEMA " + name + " CASCADE" : "DROP DATABASE " + name);
    }

    @Override
    public String toString() {
        return dialect.name().toLowerCase(Locale.ROOT) + ":" + name;
    }
}
