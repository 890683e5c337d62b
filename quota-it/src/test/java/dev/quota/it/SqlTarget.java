package dev.quota.it;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;

/**
 * A SQL database for one test: a fresh in-memory H2 database, or the machine's PostgreSQL / MariaDB named by an
 * environment variable with a table prefix of the test's own (its tables dropped on {@link #close()}). A
 * variable that is set but names an unreachable server fails the test; an unset one skips it.
 */
final class SqlTarget implements AutoCloseable {

    static final String POSTGRES_ENV = "QUOTA_TEST_POSTGRES_URL";
    static final String MYSQL_ENV = "QUOTA_TEST_MYSQL_URL";

    private final HikariDataSource pool;
    private final String prefix;
    private final boolean dropTables;

    private SqlTarget(String url, boolean dropTables) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(8);
        config.setConnectionTimeout(5_000);
        this.pool = new HikariDataSource(config);
        this.prefix = "it" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_";
        this.dropTables = dropTables;
    }

    /** @return a fresh in-memory H2 database */
    static SqlTarget h2() {
        return new SqlTarget("jdbc:h2:mem:it-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", false);
    }

    /** @return the database named by {@code env}; the test is skipped when the variable is unset */
    static SqlTarget fromEnv(String env) {
        String url = System.getenv(env);
        Assumptions.assumeTrue(url != null && !url.isBlank(), env + " is not set");
        try {
            return new SqlTarget(url, true);
        } catch (RuntimeException e) {
            throw new IllegalStateException(env + "=" + url + " is set but the server is unreachable", e);
        }
    }

    DataSource dataSource() {
        return pool;
    }

    String tablePrefix() {
        return prefix;
    }

    @Override
    public void close() throws SQLException {
        try {
            if (dropTables) {
                try (Connection c = pool.getConnection()) {
                    DatabaseMetaData meta = c.getMetaData();
                    List<String> tables = new ArrayList<>();
                    try (ResultSet rs = meta.getTables(c.getCatalog(), null, prefix + "%", new String[] {"TABLE"})) {
                        while (rs.next()) {
                            tables.add(rs.getString("TABLE_NAME"));
                        }
                    }
                    try (Statement st = c.createStatement()) {
                        for (String t : tables) {
                            st.execute("DROP TABLE " + t);
                        }
                    }
                }
            }
        } finally {
            pool.close();
        }
    }
}
