package dev.quota.jdbc;

import dev.quota.core.spi.UsageAggregates;
import dev.quota.core.usage.DailyStats;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link UsageAggregates} in the database: a business day is two grouped queries on {@code usage_log} (the global
 * row, then one row per user; distinct counts are not sums of the users' counts, hence two), read in one
 * transaction so that both see the same ledger. The SQL is in the dialect catalogues ({@code stats.day_global},
 * {@code stats.day_by_user}, {@code stats.earliest}). Thread-safe.
 */
final class JdbcUsageAggregates implements UsageAggregates {

    private final Db db;

    JdbcUsageAggregates(Db db) {
        this.db = db;
    }

    @Override
    public List<DailyStats> day(LocalDate date, Instant from, Instant to) {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("to must not be before from: " + from + " > " + to);
        }
        long lo = UsageSql.millisCeil(from);
        long hi = UsageSql.millisCeil(to);
        return db.tx("statistics day aggregate", h -> {
            List<DailyStats> out = new ArrayList<>();
            out.add(db.query(h, UsageSql.render(db.sql.get("stats.day_global"), "")).bind("from", lo).bind("to", hi)
                    .map((rs, ctx) -> stats(rs, date, null)).one());
            out.addAll(db.query(h, UsageSql.render(db.sql.get("stats.day_by_user"), "")).bind("from", lo)
                    .bind("to", hi).map((rs, ctx) -> stats(rs, date, rs.getLong("user_id"))).list());
            return out;
        });
    }

    @Override
    public Optional<Instant> earliest() {
        return db.call("statistics earliest usage", h -> db.queryNamed(h, "stats.earliest")
                .map((rs, ctx) -> Optional.ofNullable(Rows.nullableInstant(rs, "earliest"))).one());
    }

    private static DailyStats stats(ResultSet rs, LocalDate date, Long userId) throws SQLException {
        return new DailyStats(date, userId, UsageSql.totals(rs), Rows.sum(rs, "retried_requests"),
                Rows.sum(rs, "distinct_models"), Rows.sum(rs, "distinct_platforms"));
    }
}
