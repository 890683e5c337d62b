package dev.quota.jdbc;

import dev.quota.core.Money;
import dev.quota.core.spi.StatisticsStore;
import dev.quota.core.usage.DailyStats;
import dev.quota.core.usage.StatsSummary;
import dev.quota.core.usage.UsageTotals;
import dev.quota.core.usage.UserCounts;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link StatisticsStore} on the {@code stats_daily} table (one row per business day and user, the day as an
 * integer {@code yyyymmdd}, exact and readable on every dialect, {@code user_id = 0} for the global row) and the
 * one-row {@code stats_summary} table.
 */
final class JdbcStatisticsStore implements StatisticsStore {

    private static final long GLOBAL = 0L;

    private final Db db;

    JdbcStatisticsStore(Db db) {
        this.db = db;
    }

    @Override
    public void put(DailyStats stats) {
        Args args = putArgs(stats);
        db.tx("statistics put", h -> {
            db.upsert(h, "stats.put", args);
            return null;
        });
    }

    /** One transaction; rows in key order (so concurrent writers lock them in the same order), batched upserts. */
    @Override
    public void putAll(Collection<DailyStats> days) {
        Objects.requireNonNull(days, "days");
        TreeMap<Long, TreeMap<Long, Args>> byDay = new TreeMap<>();
        for (DailyStats d : days) {
            Args args = putArgs(d);
            if (byDay.computeIfAbsent(dayKey(d.date()), k -> new TreeMap<>()).put(scope(d.userId()), args) != null) {
                throw new IllegalArgumentException("two statistics for " + d.date() + ", user " + d.userId());
            }
        }
        if (byDay.isEmpty()) {
            return;
        }
        List<Args> rows = new ArrayList<>();
        byDay.values().forEach(users -> rows.addAll(users.values()));
        db.tx("statistics put all", h -> {
            db.upsertAll(h, "stats.put", rows);
            return null;
        });
    }

    private static Args putArgs(DailyStats stats) {
        Objects.requireNonNull(stats, "stats");
        return totalsArgs(stats.totals()).put("day", dayKey(stats.date())).put("userId", scope(stats.userId()))
                .put("retriedRequests", stats.retriedRequests()).put("distinctModels", stats.distinctModels())
                .put("distinctPlatforms", stats.distinctPlatforms());
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

    @Override
    public void putSummary(StatsSummary summary) {
        Objects.requireNonNull(summary, "summary");
        UserCounts c = summary.counts();
        Args args = totalsArgs(summary.totals()).put("day", dayKey(summary.cutoffDay()))
                .put("retriedRequests", summary.retriedRequests()).put("totalUsers", c.totalUsers())
                .put("activeUsers", c.activeUsers()).put("totalApiKeys", c.totalApiKeys())
                .put("activeApiKeys", c.activeApiKeys());
        db.tx("statistics summary put", h -> {
            db.upsert(h, "stats.summary", args);
            return null;
        });
    }

    @Override
    public Optional<StatsSummary> findSummary() {
        return db.call("statistics summary find", h -> db.queryNamed(h, "stats.summary.find")
                .map((rs, ctx) -> new StatsSummary(fromDayKey(rs.getLong("stat_day")), totals(rs),
                        rs.getLong("retried_requests"), new UserCounts(rs.getLong("total_users"),
                        rs.getLong("active_users"), rs.getLong("total_api_keys"), rs.getLong("active_api_keys"))))
                .findOne());
    }

    private static Args totalsArgs(UsageTotals t) {
        return Args.of().put("requests", t.requests()).put("successRequests", t.successRequests())
                .put("errorRequests", t.errorRequests()).put("inputTokens", t.inputTokens())
                .put("outputTokens", t.outputTokens()).put("cacheCreationTokens", t.cacheCreationTokens())
                .put("cacheReadTokens", t.cacheReadTokens()).put("totalCost", t.totalCost().nanos())
                .put("actualCost", t.actualCost().nanos()).put("inputCost", t.inputCost().nanos())
                .put("outputCost", t.outputCost().nanos()).put("cacheCreationCost", t.cacheCreationCost().nanos())
                .put("cacheReadCost", t.cacheReadCost().nanos()).put("responseTimeMsSum", t.responseTimeMsSum());
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

    private static UsageTotals totals(ResultSet rs) throws SQLException {
        return new UsageTotals(rs.getLong("requests"), rs.getLong("success_requests"),
                rs.getLong("error_requests"), rs.getLong("input_tokens"), rs.getLong("output_tokens"),
                rs.getLong("cache_creation_tokens"), rs.getLong("cache_read_tokens"),
                Money.ofNanos(rs.getLong("total_cost")), Money.ofNanos(rs.getLong("actual_cost")),
                Money.ofNanos(rs.getLong("input_cost")), Money.ofNanos(rs.getLong("output_cost")),
                Money.ofNanos(rs.getLong("cache_creation_cost")), Money.ofNanos(rs.getLong("cache_read_cost")),
                rs.getLong("response_time_ms_sum"));
    }

    private static DailyStats row(ResultSet rs) throws SQLException {
        long user = rs.getLong("user_id");
        return new DailyStats(fromDayKey(rs.getLong("stat_day")), user == GLOBAL ? null : user, totals(rs),
                rs.getLong("retried_requests"), rs.getLong("distinct_models"), rs.getLong("distinct_platforms"));
    }
}
