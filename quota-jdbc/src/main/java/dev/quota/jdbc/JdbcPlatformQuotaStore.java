package dev.quota.jdbc;

import dev.quota.core.Limit;
import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.Period;
import dev.quota.core.limit.PlatformQuotaDefaults;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.limit.QuotaWindows;
import dev.quota.core.Money;
import dev.quota.core.spi.PlatformQuotaStore;
import dev.quota.core.window.Window;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * {@link PlatformQuotaStore} on the {@code platform_quota} and {@code platform_quota_default} tables. Limits
 * are nullable columns (NULL = unset) with an {@code own_limits} flag distinguishing "no own limits" from
 * "own limits, all unset"; the defaults are plain rows ({@code auth_source = ''} for the system default,
 * {@code platform = ''} marking a source declared without limits), replaced as a whole in one transaction.
 */
final class JdbcPlatformQuotaStore implements PlatformQuotaStore {

    /** The longest platform or auth source name accepted (the columns are VARCHAR(128)). */
    static final int MAX_NAME_LENGTH = 128;
    private static final String SYSTEM = "";
    private static final String NO_PLATFORM = "";

    private final Db db;

    JdbcPlatformQuotaStore(Db db) {
        this.db = db;
    }

    @Override
    public Optional<PlatformQuotaRecord> find(long userId, String platform) {
        requireName(platform, "platform");
        return db.call("platform quota find", h -> read(h, userId, platform));
    }

    @Override
    public void setLimits(long userId, String platform, PeriodLimits limits) {
        requireName(platform, "platform");
        Args args = Args.of().put("userId", userId).put("platform", platform)
                .put("ownLimits", limits == null ? 0L : 1L);
        bindLimits(args, limits);
        db.tx("platform quota set limits", h -> {
            db.upsert(h, "platform_quota.set_limits", args);
            return null;
        });
    }

    @Override
    public PlatformQuotaRecord addUsage(long userId, String platform, Money cost, Instant now, ZoneId zone) {
        requireName(platform, "platform");
        if (cost == null || cost.isNegative()) {
            throw new IllegalArgumentException("cost must not be null or negative: " + cost);
        }
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(zone, "zone");
        return db.tx("platform quota add usage", h -> {
            addUsage(h, userId, platform, cost.nanos(), now, zone);
            return read(h, userId, platform).orElseThrow();
        });
    }

    /** Adds to the day, week and 30-day windows (creating the record) inside the caller's transaction. */
    void addUsage(Handle h, long userId, String platform, long nanos, Instant now, ZoneId zone) {
        db.upsert(h, "platform_quota.add_usage", addUsageArgs(userId, platform, nanos, now, zone));
    }

    /** The arguments of the {@code platform_quota.add_usage} upsert. */
    static Args addUsageArgs(long userId, String platform, long nanos, Instant now, ZoneId zone) {
        Args args = Args.of().put("userId", userId).put("platform", platform).put("cost", nanos);
        bindWindow(args, "daily", QuotaWindows.platform(Period.DAILY), now, zone);
        bindWindow(args, "weekly", QuotaWindows.platform(Period.WEEKLY), now, zone);
        bindWindow(args, "monthly", QuotaWindows.platform(Period.MONTHLY), now, zone);
        return args;
    }

    @Override
    public PlatformQuotaDefaults defaults() {
        return db.call("platform quota defaults", h -> {
            PlatformQuotaDefaults.Builder b = PlatformQuotaDefaults.builder();
            List<DefaultRow> rows = db.queryNamed(h, "platform_quota_default.all")
                    .map((rs, ctx) -> new DefaultRow(rs.getString("auth_source"), rs.getString("platform"),
                            limits(rs)))
                    .list();
            for (DefaultRow r : rows) {
                if (SYSTEM.equals(r.source)) {
                    b.system(r.platform, r.limits);
                } else if (NO_PLATFORM.equals(r.platform)) {
                    b.sourceWithoutLimits(r.source);
                } else {
                    b.source(r.source, r.platform, r.limits);
                }
            }
            return b.build();
        });
    }

    @Override
    public void replaceDefaults(PlatformQuotaDefaults defaults) {
        Objects.requireNonNull(defaults, "defaults");
        defaults.system().keySet().forEach(p -> requireName(p, "platform"));
        defaults.bySource().forEach((source, table) -> {
            requireName(source, "authSource");
            table.keySet().forEach(p -> requireName(p, "platform"));
        });
        db.tx("platform quota replace defaults", h -> {
            db.updateNamed(h, "platform_quota_default.delete_all").execute();
            PreparedBatch batch = db.batchNamed(h, "platform_quota_default.insert");
            int rows = 0;
            for (Map.Entry<String, PeriodLimits> e : defaults.system().entrySet()) {
                addDefault(batch, SYSTEM, e.getKey(), e.getValue());
                rows++;
            }
            for (Map.Entry<String, Map<String, PeriodLimits>> s : defaults.bySource().entrySet()) {
                if (s.getValue().isEmpty()) {
                    addDefault(batch, s.getKey(), NO_PLATFORM, PeriodLimits.UNLIMITED);
                    rows++;
                }
                for (Map.Entry<String, PeriodLimits> e : s.getValue().entrySet()) {
                    addDefault(batch, s.getKey(), e.getKey(), e.getValue());
                    rows++;
                }
            }
            if (rows > 0) {
                batch.execute();
            }
            return null;
        });
    }

    private static void addDefault(PreparedBatch batch, String source, String platform, PeriodLimits limits) {
        Args args = Args.of().put("authSource", source).put("platform", platform);
        bindLimits(args, limits);
        args.bindTo(batch).add();
    }

    private record DefaultRow(String source, String platform, PeriodLimits limits) {
    }

    private Optional<PlatformQuotaRecord> read(Handle h, long userId, String platform) {
        return db.queryNamed(h, "platform_quota.find").bind("userId", userId).bind("platform", platform)
                .map(Rows.decoding(db.prefix + "platform_quota", rs -> "user_id=" + rs.getLong("user_id")
                        + ", platform=" + DeadLetters.escape(rs.getString("platform")),
                        (rs, ctx) -> new PlatformQuotaRecord(rs.getLong("user_id"), rs.getString("platform"),
                                ownLimits(rs) ? limits(rs) : null,
                                Rows.window(rs, "daily_used", "daily_start"),
                                Rows.window(rs, "weekly_used", "weekly_start"),
                                Rows.window(rs, "monthly_used", "monthly_start"))))
                .findOne();
    }

    private static boolean ownLimits(ResultSet rs) throws SQLException {
        int own = rs.getInt("own_limits");
        if (own != 0 && own != 1) {
            throw new IllegalArgumentException("own_limits must be 0 or 1: " + own);
        }
        return own == 1;
    }

    private static PeriodLimits limits(ResultSet rs) throws SQLException {
        return new PeriodLimits(Limit.ofNullable(Rows.nullableLong(rs, "daily_limit")),
                Limit.ofNullable(Rows.nullableLong(rs, "weekly_limit")),
                Limit.ofNullable(Rows.nullableLong(rs, "monthly_limit")));
    }

    private static void bindLimits(Args args, PeriodLimits limits) {
        args.putNullable("dailyLimit", limits == null ? null : limits.daily().capOrNull())
                .putNullable("weeklyLimit", limits == null ? null : limits.weekly().capOrNull())
                .putNullable("monthlyLimit", limits == null ? null : limits.monthly().capOrNull());
    }

    private static void bindWindow(Args args, String name, Window window, Instant now, ZoneId zone) {
        args.put(name + "Expired", window.expiredBeforeMillis(now, zone))
                .put(name + "Start", window.startAt(null, now, zone).toEpochMilli());
    }

    private static void requireName(String value, String field) {
        if (value == null || value.isBlank() || value.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(field + " must be 1 to " + MAX_NAME_LENGTH + " non-blank characters");
        }
    }
}
