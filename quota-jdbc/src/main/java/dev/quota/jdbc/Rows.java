package dev.quota.jdbc;

import dev.quota.core.window.WindowUsage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Small helpers for reading nullable columns and window pairs. */
final class Rows {

    private Rows() {
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
