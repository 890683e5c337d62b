package dev.quota.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.quota.core.BackendUnavailableException;

/** Kept apart from {@link JdbcQuota} so that HikariCP is only loaded when the convenience factory is used. */
final class HikariSupport {

    private HikariSupport() {
    }

    static HikariDataSource pool(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setPoolName("quota-jdbc");
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new BackendUnavailableException("cannot open a connection pool to " + redact(jdbcUrl), e);
        }
    }

    /** Drops query parameters (which may carry a password) from a URL for messages. */
    static String redact(String jdbcUrl) {
        int q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q) + "?...";
    }
}
