package dev.quota.jdbc;

import dev.quota.core.InvalidDataException;
import dev.quota.core.window.WindowUsage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.jdbi.v3.core.mapper.RowMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Small helpers for reading nullable columns and window pairs, and for decoding rows safely. */
final class Rows {

    private static final Logger LOG = LoggerFactory.getLogger(Rows.class);

    private Rows() {
    }

    /** Describes the key of the row a result set is on, e.g. {@code user_id=1, group_id=7}. */
    @FunctionalInterface
    interface RowKey {
        /**
         * @param rs the result set, on the row
         * @return the row's key as {@code column=value} pairs
         * @throws SQLException when a key column cannot be read
         */
        String describe(ResultSet rs) throws SQLException;
    }

    /**
     * Wraps a row mapper so that a row it cannot decode (an unknown enum, a malformed or out-of-range value) is
     * reported as {@link InvalidDataException} naming the table and the row's key, and logged: a user's bad row
     * is that user's problem, not an outage ({@code BackendUnavailableException} would open the breaker).
     *
     * @param table the table name, with its prefix
     * @param key describes the row's key
     * @param mapper the mapper
     * @param <T> the mapped type
     * @return the wrapping mapper
     */
    static <T> RowMapper<T> decoding(String table, RowKey key, RowMapper<T> mapper) {
        return (rs, ctx) -> {
            try {
                return mapper.map(rs, ctx);
            } catch (IllegalArgumentException | ArithmeticException | NullPointerException
                     | java.time.DateTimeException e) {
                String row = table + " (" + key.describe(rs) + ")";
                LOG.warn("Row {} cannot be decoded: {}", row, e.getMessage());
                throw new InvalidDataException("row " + row + " cannot be decoded: " + e.getMessage(), e);
            }
        };
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static Instant nullableInstant(ResultSet rs, String column) throws SQLException {
        Long v = nullableLong(rs, column);
        return v == null ? null : Instant.ofEpochMilli(v);
    }

    static WindowUsage window(ResultSet rs, String usedColumn, String startColumn) throws SQLException {
        return new WindowUsage(rs.getLong(usedColumn), nullableInstant(rs, startColumn));
    }

    static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    /** A SUM/COUNT column read exactly whatever numeric type the driver returns (NUMERIC, DECIMAL, BIGINT). */
    static long sum(ResultSet rs, String column) throws SQLException {
        java.math.BigDecimal v = rs.getBigDecimal(column);
        return v == null ? 0L : v.longValueExact();
    }
}
