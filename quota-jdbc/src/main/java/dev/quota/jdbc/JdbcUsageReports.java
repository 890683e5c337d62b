package dev.quota.jdbc;

import dev.quota.core.usage.Page;
import dev.quota.core.usage.PageRequest;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageFilter;
import dev.quota.core.usage.UsageTotals;
import dev.quota.jdbc.report.AccountUsageStats;
import dev.quota.jdbc.report.ApiKeyTrendPoint;
import dev.quota.jdbc.report.DashboardStats;
import dev.quota.jdbc.report.Granularity;
import dev.quota.jdbc.report.ModelStats;
import dev.quota.jdbc.report.TrendPoint;
import dev.quota.jdbc.report.UsageSummary;
import dev.quota.jdbc.report.UserDashboardStats;
import dev.quota.jdbc.report.UserTrendPoint;
import dev.quota.jdbc.report.WindowStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * {@link UsageReports} on the {@code usage_log} table. Aggregation happens in SQL (exact integer sums);
 * zone-dependent bucketing happens in Java: the database groups by small UTC-aligned buckets that each lie
 * inside one business-zone bucket (see {@link #unitMillis}), and Java folds them, which is exact on every
 * dialect without any SQL date function.
 */
final class JdbcUsageReports implements UsageReports {

    private static final long HOUR_MS = 3_600_000L;
    private static final int MAX_LIMIT = 1000;
    private static final int IDS_PER_QUERY = 500;
    private static final Duration RECENT = Duration.ofMinutes(5);

    private final Db db;
    private final ZoneId zone;
    private final Clock clock;
    private final Period userSpan;

    JdbcUsageReports(Db db, ZoneId zone, Clock clock, Period userSpan) {
        this.db = db;
        this.zone = Objects.requireNonNull(zone, "zone");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.userSpan = JdbcUserUsageReports.checkSpan(userSpan);
    }

    @Override
    public Period userQuerySpan() {
        return userSpan;
    }

    @Override
    public UserUsageReports forUser(long userId) {
        return new JdbcUserUsageReports(this, userId, userSpan);
    }

    @Override
    public ZoneId zone() {
        return zone;
    }

    @Override
    public Page<UsageEvent> list(UsageFilter filter, PageRequest page) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(page, "page");
        return db.tx("usage report list", h -> JdbcUsageLog.list(db, h, filter, page));
    }

    @Override
    public Page<UsageEvent> listByUser(long userId, Instant from, Instant to, PageRequest page) {
        return list(range(from, to).withUser(userId), page);
    }

    @Override
    public Page<UsageEvent> listByApiKey(long apiKeyId, Instant from, Instant to, PageRequest page) {
        return list(range(from, to).withApiKey(apiKeyId), page);
    }

    @Override
    public Page<UsageEvent> listByAccount(long accountId, Instant from, Instant to, PageRequest page) {
        return list(range(from, to).withAccount(accountId), page);
    }

    @Override
    public Page<UsageEvent> listByModel(String model, Instant from, Instant to, PageRequest page) {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank");
        }
        return list(range(from, to).withModel(model), page);
    }

    @Override
    public WindowStats accountWindowStats(long accountId, Instant windowStart) {
        Objects.requireNonNull(windowStart, "windowStart");
        return windowStats(totals(UsageFilter.all().withAccount(accountId).between(windowStart, null)));
    }

    @Override
    public WindowStats accountTodayStats(long accountId) {
        Instant[] today = today();
        return windowStats(totals(UsageFilter.all().withAccount(accountId).between(today[0], today[1])));
    }

    private static WindowStats windowStats(UsageTotals t) {
        return new WindowStats(t.requests(), t.totalTokens(), t.actualCost());
    }

    @Override
    public UsageTotals totals(UsageFilter filter) {
        Objects.requireNonNull(filter, "filter");
        return db.call("usage report totals", h -> JdbcUsageLog.totals(db, h, filter));
    }

    @Override
    public UsageTotals globalStats(Instant from, Instant to) {
        return totals(range(from, to));
    }

    @Override
    public UsageTotals userStats(long userId, Instant from, Instant to) {
        return totals(range(from, to).withUser(userId));
    }

    @Override
    public UsageTotals apiKeyStats(long apiKeyId, Instant from, Instant to) {
        return totals(range(from, to).withApiKey(apiKeyId));
    }

    @Override
    public List<TrendPoint> trend(UsageFilter filter, Granularity granularity) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(granularity, "granularity");
        if (filter.from() == null || filter.to() == null) {
            throw new IllegalArgumentException("a trend needs a time range (from and to)");
        }
        long unit = unitMillis(zone, filter.from(), filter.to());
        return db.call("usage report trend", h -> trend(h, filter, granularity, unit));
    }

    private List<TrendPoint> trend(Handle h, UsageFilter filter, Granularity granularity, long unit) {
        Args args = Args.of();
        String sql = render("report.buckets", filter, args, unit);
        TreeMap<Instant, UsageTotals> buckets = new TreeMap<>();
        args.bindTo(db.query(h, sql)).map((rs, ctx) -> {
            Instant start = granularity.bucketStart(Instant.ofEpochMilli(rs.getLong("b")), zone);
            buckets.merge(start, UsageSql.totals(rs), UsageTotals::plus);
            return start;
        }).list();
        List<TrendPoint> out = new ArrayList<>(buckets.size());
        buckets.forEach((start, t) -> out.add(TrendPoint.inRange(start, granularity.bucketEnd(start, zone), t,
                filter.from(), filter.to())));
        return out;
    }

    @Override
    public List<ModelStats> modelStats(UsageFilter filter) {
        Objects.requireNonNull(filter, "filter");
        return db.call("usage report model stats", h -> modelStats(h, filter));
    }

    private List<ModelStats> modelStats(Handle h, UsageFilter filter) {
        Args args = Args.of();
        String sql = render("report.by_model", filter, args, HOUR_MS);
        List<ModelStats> out = new ArrayList<>(args.bindTo(db.query(h, sql)).map((rs, ctx) -> {
            String model = rs.getString("model");
            return new ModelStats(model == null ? "" : model, UsageSql.totals(rs));
        }).list());
        out.sort(Comparator.comparing((ModelStats m) -> m.totals().actualCost()).reversed()
                .thenComparing(ModelStats::model));
        return out;
    }

    @Override
    public List<ApiKeyTrendPoint> topApiKeyTrend(Instant from, Instant to, Granularity granularity, int limit) {
        List<IdPoint> points = topTrend(from, to, granularity, limit, "api_key_id", "report.top_keys",
                "report.buckets_by_key");
        return points.stream().map(p -> new ApiKeyTrendPoint(p.id, p.inRange(from, to))).toList();
    }

    @Override
    public List<UserTrendPoint> topUserTrend(Instant from, Instant to, Granularity granularity, int limit) {
        List<IdPoint> points = topTrend(from, to, granularity, limit, "user_id", "report.top_users",
                "report.buckets_by_user");
        return points.stream().map(p -> new UserTrendPoint(p.id, p.inRange(from, to))).toList();
    }

    private record IdPoint(Instant start, Instant end, long id, UsageTotals totals) {

        /** @return the point with its rates over the part of the bucket inside {@code [from, to)} */
        TrendPoint inRange(Instant from, Instant to) {
            return TrendPoint.inRange(start, end, totals, from, to);
        }
    }

    private record IdBucket(long id, Instant start) {
    }

    private List<IdPoint> topTrend(Instant from, Instant to, Granularity granularity, int limit, String idColumn,
                                   String topQuery, String bucketQuery) {
        UsageFilter filter = range(from, to);
        Objects.requireNonNull(granularity, "granularity");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ": " + limit);
        }
        long unit = unitMillis(zone, from, to);
        return db.call("usage report top trend", h -> {
            Args topArgs = Args.of();
            List<Long> ids = topArgs.put("limit", limit).bindTo(db.query(h, render(topQuery, filter, topArgs, unit)))
                    .map((rs, ctx) -> rs.getLong("id")).list();
            if (ids.isEmpty()) {
                return List.<IdPoint>of();
            }
            Args args = Args.of();
            String where = UsageSql.where(filter, args) + " AND " + idColumn + " IN " + idList(ids, args);
            String sql = db.sql.get(bucketQuery).replace("${unit}", Long.toString(unit))
                    .replace("${totals}", UsageSql.TOTALS).replace("${where}", where);
            Map<IdBucket, UsageTotals> buckets = new HashMap<>();
            args.bindTo(db.query(h, sql)).map((rs, ctx) -> {
                Instant start = granularity.bucketStart(Instant.ofEpochMilli(rs.getLong("b")), zone);
                buckets.merge(new IdBucket(rs.getLong("id"), start), UsageSql.totals(rs), UsageTotals::plus);
                return start;
            }).list();
            List<IdPoint> out = new ArrayList<>(buckets.size());
            buckets.forEach((k, t) -> out.add(new IdPoint(k.start, granularity.bucketEnd(k.start, zone), k.id, t)));
            out.sort(Comparator.comparing(IdPoint::start)
                    .thenComparing(Comparator.comparingLong((IdPoint p) -> p.totals.totalTokens()).reversed())
                    .thenComparingLong(IdPoint::id));
            return out;
        });
    }

    @Override
    public Map<Long, UsageSummary> batchUserStats(Collection<Long> userIds) {
        return batchStats(userIds, "user_id", "report.totals_by_user");
    }

    @Override
    public Map<Long, UsageSummary> batchApiKeyStats(Collection<Long> apiKeyIds) {
        return batchStats(apiKeyIds, "api_key_id", "report.totals_by_key");
    }

    private Map<Long, UsageSummary> batchStats(Collection<Long> ids, String idColumn, String query) {
        Objects.requireNonNull(ids, "ids");
        LinkedHashSet<Long> unique = new LinkedHashSet<>();
        for (Long id : ids) {
            if (id == null) {
                throw new IllegalArgumentException("ids must not contain null");
            }
            unique.add(id);
        }
        Map<Long, UsageSummary> out = new LinkedHashMap<>();
        unique.forEach(id -> out.put(id, UsageSummary.EMPTY));
        if (unique.isEmpty()) {
            return out;
        }
        Instant[] today = today();
        List<Long> all = new ArrayList<>(unique);
        return db.call("usage report batch stats", h -> {
            for (int i = 0; i < all.size(); i += IDS_PER_QUERY) {
                List<Long> chunk = all.subList(i, Math.min(all.size(), i + IDS_PER_QUERY));
                Map<Long, UsageTotals> total = groupedTotals(h, query, idColumn, chunk, UsageFilter.all());
                Map<Long, UsageTotals> day = groupedTotals(h, query, idColumn, chunk,
                        UsageFilter.all().between(today[0], today[1]));
                total.forEach((id, t) -> out.put(id, new UsageSummary(day.getOrDefault(id, UsageTotals.ZERO), t)));
            }
            return out;
        });
    }

    private Map<Long, UsageTotals> groupedTotals(Handle h, String query, String idColumn, List<Long> ids,
                                                 UsageFilter filter) {
        Args args = Args.of();
        String where = UsageSql.where(filter, args) + " AND " + idColumn + " IN " + idList(ids, args);
        Map<Long, UsageTotals> out = new HashMap<>();
        args.bindTo(db.query(h, UsageSql.render(db.sql.get(query), where)))
                .map((rs, ctx) -> out.put(rs.getLong("id"), UsageSql.totals(rs))).list();
        return out;
    }

    @Override
    public DashboardStats dashboard() {
        Instant now = clock.instant();
        Instant[] today = today(now);
        return db.call("usage report dashboard", h -> {
            UsageTotals total = JdbcUsageLog.totals(db, h, UsageFilter.all());
            UsageTotals day = JdbcUsageLog.totals(db, h, UsageFilter.all().between(today[0], today[1]));
            long[] ever = distinct(h, UsageFilter.all());
            long[] active = distinct(h, UsageFilter.all().between(today[0], today[1]));
            UsageTotals recent = JdbcUsageLog.totals(db, h, UsageFilter.all().between(now.minus(RECENT), now));
            return new DashboardStats(total, day, ever[0], active[0], ever[1], active[1],
                    recent.requests() / RECENT.toMinutes(), recent.totalTokens() / RECENT.toMinutes());
        });
    }

    @Override
    public UserDashboardStats userDashboard(long userId) {
        Instant now = clock.instant();
        Instant[] today = today(now);
        UsageFilter user = UsageFilter.all().withUser(userId);
        return db.call("usage report user dashboard", h -> {
            UsageTotals total = JdbcUsageLog.totals(db, h, user);
            UsageTotals day = JdbcUsageLog.totals(db, h, user.between(today[0], today[1]));
            long[] ever = distinct(h, user);
            long[] active = distinct(h, user.between(today[0], today[1]));
            UsageTotals recent = JdbcUsageLog.totals(db, h, user.between(now.minus(RECENT), now));
            return new UserDashboardStats(userId, total, day, ever[1], active[1],
                    recent.requests() / RECENT.toMinutes(), recent.totalTokens() / RECENT.toMinutes());
        });
    }

    private long[] distinct(Handle h, UsageFilter filter) {
        Args args = Args.of();
        return args.bindTo(db.query(h, render("report.distinct", filter, args, HOUR_MS)))
                .map((rs, ctx) -> new long[] {Rows.sum(rs, "users"), Rows.sum(rs, "api_keys")}).one();
    }

    @Override
    public AccountUsageStats accountUsageStats(long accountId, Instant from, Instant to) {
        UsageFilter filter = range(from, to).withAccount(accountId);
        long unit = unitMillis(zone, from, to);
        return db.tx("usage report account stats", h -> new AccountUsageStats(accountId,
                trend(h, filter, Granularity.DAY, unit), JdbcUsageLog.totals(db, h, filter), modelStats(h, filter)));
    }

    private String render(String key, UsageFilter filter, Args args, long unit) {
        return db.sql.get(key).replace("${unit}", Long.toString(unit)).replace("${totals}", UsageSql.TOTALS)
                .replace("${where}", UsageSql.where(filter, args));
    }

    private static String idList(List<Long> ids, Args args) {
        StringJoiner in = new StringJoiner(", ", "(", ")");
        for (int i = 0; i < ids.size(); i++) {
            in.add(":id" + i);
            args.put("id" + i, ids.get(i));
        }
        return in.toString();
    }

    private static UsageFilter range(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return UsageFilter.all().between(from, to);
    }

    private Instant[] today() {
        return today(clock.instant());
    }

    private Instant[] today(Instant now) {
        LocalDate date = now.atZone(zone).toLocalDate();
        return new Instant[] {date.atStartOfDay(zone).toInstant(), date.plusDays(1).atStartOfDay(zone).toInstant()};
    }

    /**
     * The largest bucket length (ms) that divides one hour and every UTC offset {@code zone} has between
     * {@code from} and {@code to}: then every business-zone hour, day and week boundary in the range is a
     * multiple of it, so each small bucket lies inside exactly one business bucket. 1 h for UTC and whole-hour
     * zones, 30 min for India, 15 min for Nepal, down to a second for historical local mean times.
     */
    static long unitMillis(ZoneId zone, Instant from, Instant to) {
        ZoneRules rules = zone.getRules();
        long unit = gcd(HOUR_MS, Math.abs(rules.getOffset(from).getTotalSeconds()) * 1000L);
        ZoneOffsetTransition t = rules.nextTransition(from);
        while (t != null && t.getInstant().isBefore(to) && unit > 1000) {
            unit = gcd(unit, Math.abs(t.getOffsetAfter().getTotalSeconds()) * 1000L);
            t = rules.nextTransition(t.getInstant());
        }
        return unit;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long r = a % b;
            a = b;
            b = r;
        }
        return a;
    }
}
