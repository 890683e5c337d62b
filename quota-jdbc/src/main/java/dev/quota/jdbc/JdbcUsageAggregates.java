package dev.quota.jdbc;

import dev.quota.core.spi.UsageAggregates;
import dev.quota.core.usage.DailyStats;
import dev.quota.core.usage.UsageTotals;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@link UsageAggregates} in the database: a business day is two grouped queries on {@code usage_log}, in one
 * transaction: one row per user with every figure ({@code stats.day_by_user}), and the day's distinct (model,
 * platform) pairs ({@code stats.day_models_platforms}), because distinct counts are not sums of the users'
 * counts. The global totals and retried requests are the exact sums of the users' rows; the global distinct
 * counts are counted in Java from the pairs. Memory: one row per active user plus one per (model, platform)
 * pair. Thread-safe.
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
            List<DailyStats> users = db.query(h, UsageSql.render(db.sql.get("stats.day_by_user"), ""))
                    .bind("from", lo).bind("to", hi).map((rs, ctx) -> stats(rs, date, rs.getLong("user_id"))).list();
            Set<String> models = new HashSet<>();
            Set<String> platforms = new HashSet<>();
            db.queryNamed(h, "stats.day_models_platforms").bind("from", lo).bind("to", hi).map((rs, ctx) -> {
                addIfPresent(models, rs.getString("model"));
                return addIfPresent(platforms, rs.getString("platform"));
            }).list();
            UsageTotals totals = UsageTotals.ZERO;
            long retried = 0;
            for (DailyStats u : users) {
                totals = totals.plus(u.totals());
                retried = Math.addExact(retried, u.retriedRequests());
            }
            List<DailyStats> out = new ArrayList<>(users.size() + 1);
            out.add(new DailyStats(date, null, totals, retried, models.size(), platforms.size()));
            out.addAll(users);
            return out;
        });
    }

    @Override
    public Optional<Instant> earliest() {
        return db.call("statistics earliest usage", h -> db.queryNamed(h, "stats.earliest")
                .map((rs, ctx) -> Optional.ofNullable(Rows.nullableInstant(rs, "earliest"))).one());
    }

    private static boolean addIfPresent(Set<String> set, String value) {
        return value != null && set.add(value);
    }

    private static DailyStats stats(ResultSet rs, LocalDate date, Long userId) throws SQLException {
        return new DailyStats(date, userId, UsageSql.totals(rs), Rows.sum(rs, "retried_requests"),
                Rows.sum(rs, "distinct_models"), Rows.sum(rs, "distinct_platforms"));
    }
}
