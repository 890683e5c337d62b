package dev.quota.jdbc;

import dev.quota.core.BackendUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Objects;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * The SQL dialects Quota supports. Each has its own schema scripts under {@code db/quota/<name>/} and its
 * own forms of the few statements that differ (upserts, idempotent inserts); everything else is shared.
 */
public enum Dialect {
    /** PostgreSQL 12 or later. */
    POSTGRESQL("postgresql"),
    /** MySQL 8 or MariaDB 10.5 or later (the same scripts and statements serve both). */
    MYSQL("mysql"),
    /** H2 2.x, typically in-memory or embedded for tests and demos. */
    H2("h2");

    private final String resourceName;

    Dialect(String resourceName) {
        this.resourceName = resourceName;
    }

    /**
     * @return the lower-case name used in resource paths, e.g. {@code "postgresql"} in
     *         {@code db/quota/postgresql/V1__quota_schema.sql}
     */
    public String resourceName() {
        return resourceName;
    }

    /**
     * Maps a JDBC {@link java.sql.DatabaseMetaData#getDatabaseProductName() product name} to a dialect.
     *
     * @param productName e.g. {@code "PostgreSQL"}, {@code "MySQL"}, {@code "MariaDB"}, {@code "H2"}
     * @return the dialect
     * @throws IllegalArgumentException if the product is not supported
     */
    public static Dialect fromProductName(String productName) {
        Objects.requireNonNull(productName, "productName");
        String p = productName.toLowerCase(Locale.ROOT);
        if (p.contains("postgres")) {
            return POSTGRESQL;
        }
        if (p.contains("mysql") || p.contains("mariadb")) {
            return MYSQL;
        }
        if (p.equals("h2") || p.startsWith("h2 ")) {
            return H2;
        }
        throw new IllegalArgumentException("unsupported database product: " + productName);
    }

    /**
     * Detects the dialect of an open connection from its metadata.
     *
     * @param connection the connection (left open)
     * @return the dialect
     * @throws BackendUnavailableException when the metadata cannot be read
     * @throws IllegalArgumentException if the product is not supported
     */
    public static Dialect detect(Connection connection) {
        try {
            return fromProductName(connection.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new BackendUnavailableException("cannot read database metadata", e);
        }
    }

    /**
     * Detects the dialect of a data source by opening one connection.
     *
     * @param dataSource the data source
     * @return the dialect
     * @throws BackendUnavailableException when no connection can be opened
     * @throws IllegalArgumentException if the product is not supported
     */
    public static Dialect detect(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return detect(c);
        } catch (SQLException e) {
            throw new BackendUnavailableException("cannot open a connection to detect the SQL dialect", e);
        }
    }

    /**
     * Detects the dialect behind a {@link Jdbi} by opening one handle.
     *
     * @param jdbi the Jdbi
     * @return the dialect
     * @throws BackendUnavailableException when no connection can be opened
     * @throws IllegalArgumentException if the product is not supported
     */
    public static Dialect detect(Jdbi jdbi) {
        try {
            return jdbi.withHandle(h -> detect(h.getConnection()));
        } catch (JdbiException e) {
            throw new BackendUnavailableException("cannot open a connection to detect the SQL dialect", e);
        }
    }
}
