package dev.quota.jdbc;

import dev.quota.core.money.Money;
import dev.quota.core.spi.StatisticsStore;
import dev.quota.core.usage.DailyStats;
import dev.quota.core.usage.UsageTotals;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link StatisticsStore} on the {@code stats_daily} table: one row per business day and user, the day as
 * an integer {@code yyyymmdd} (exact and readable on every dialect), {@code user_id = 0} for the global row.
 */
final class JdbcStatisticsStore implements StatisticsStore {

    private static final long GLOBAL = 0L;

    private final Db db;

    JdbcStatisticsStore(Db db) {
        this.db = db;
    }

    @Override
    public void put(DailyStats stats) {
        Objects.requireNonNull(stats, "stats");
        long user = scope(stats.userId());
        UsageTotals t = stats.totals();
        Args args = Args.of().put("day", dayKey(stats.date())).put("userId", user)
                .put("requests", t.requests()).put("successRequests", t.successRequests())
                .put("errorRequests", t.errorRequests()).put("inputTokens", t.inputTokens())
                .put("outputTokens", t.outputTokens()).put("cacheCreationTokens", t.cacheCreationTokens())
                .put("cacheReadTokens", t.cacheReadTokens()).put("totalCost", t.totalCost().nanos())
                .put("actualCost", t.actualCost().nanos()).put("inputCost", t.inputCost().nanos())
                .put("outputCost", t.outputCost().nanos()).put("cacheCreationCost", t.cacheCreationCost().nanos())
                .put("cacheReadCost", t.cacheReadCost().nanos()).put("responseTimeMsSum", t.responseTimeMsSum());
        db.tx("statistics put", h -> {
            db.upsert(h, "stats.put", args);
            return null;
        });
    }

    @Override
    public Optional<DailyStats> find(LocalDate date, Long userId) {
        Objects.requireNonNull(date, "date");
        long user = scope(userId);
        return db.call("statistics find", h -> db.queryNamed(h, "stats.find")
                .bind("day", dayKey(date)).bind("userId", user)
                .map((rs, ctx) -> row(rs)).findOne());
    }

    @Override
    public List<DailyStats> range(LocalDate from, LocalDate to, Long userId) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        long user = scope(userId);
        return db.call("statistics range", h -> db.queryNamed(h, "stats.range")
                .bind("userId", user).bind("from", dayKey(from)).bind("to", dayKey(to))
                .map((rs, ctx) -> row(rs)).list());
    }

    private static long scope(Long userId) {
        if (userId == null) {
            return GLOBAL;
        }
        if (userId <= 0) {
            throw new IllegalArgumentException("userId must be positive (or null for the global statistics): " + userId);
        }
        return userId;
    }

    static long dayKey(LocalDate date) {
        if (date.getYear() < 1 || date.getYear() > 9999) {
            throw new IllegalArgumentException("date out of range: " + date);
        }
        return date.getYear() * 10_000L + date.getMonthValue() * 100L + date.getDayOfMonth();
    }

    private static LocalDate fromDayKey(long key) {
        return LocalDate.of((int) (key / 10_000), (int) (key / 100 % 100), (int) (key % 100));
    }

    private static DailyStats row(ResultSet rs) throws SQLException {
        long user = rs.getLong("user_id");
        UsageTotals t = new UsageTotals(rs.getLong("requests"), rs.getLong("success_requests"),
                rs.getLong("error_requests"), rs.getLong("input_tokens"), rs.getLong("output_tokens"),
                rs.getLong("cache_creation_tokens"), rs.getLong("cache_read_tokens"),
                Money.ofNanos(rs.getLong("total_cost")), Money.ofNanos(rs.getLong("actual_cost")),
                Money.ofNanos(rs.getLong("input_cost")), Money.ofNanos(rs.getLong("output_cost")),
                Money.ofNanos(rs.getLong("cache_creation_cost")), Money.ofNanos(rs.getLong("cache_read_cost")),
                rs.getLong("response_time_ms_sum"));
        return new DailyStats(fromDayKey(rs.getLong("stat_day")), user == GLOBAL ? null : user, t);
    }
}
