package dev.quota.jdbc;

import dev.quota.core.limit.Period;
import dev.quota.core.limit.QuotaWindows;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.limit.SubscriptionStatus;
import dev.quota.core.Money;
import dev.quota.core.spi.SubscriptionStore;
import dev.quota.core.spi.Pingable;
import dev.quota.core.window.Window;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * {@link SubscriptionStore} on the {@code subscription} table. {@link #addUsage} is one UPDATE whose CASE
 * expressions reset each expired rolling window, with thresholds and new starts computed in Java from
 * {@code now} and bound as parameters.
 */
final class JdbcSubscriptionStore implements SubscriptionStore, Pingable {

    /** Subscription windows are rolling, so the zone does not matter; UTC as in the core. */
    private static final ZoneId ZONE = ZoneOffset.UTC;

    private final Db db;

    JdbcSubscriptionStore(Db db) {
        this.db = db;
    }

    /** One query of the balance table that reads no rows (see {@link Db#ping()}). */
    @Override
    public void ping() {
        db.ping();
    }

    @Override
    public Optional<SubscriptionState> find(long userId, long groupId) {
        return db.call("subscription find", h -> read(h, userId, groupId));
    }

    @Override
    public void save(SubscriptionState s) {
        Objects.requireNonNull(s, "state");
        Args args = Args.of().put("userId", s.userId()).put("groupId", s.groupId())
                .put("status", s.status().name()).put("expiresAt", s.expiresAt().toEpochMilli())
                .put("dailyUsed", s.daily().used()).putNullable("dailyStart", Rows.millis(s.daily().start()))
                .put("weeklyUsed", s.weekly().used()).putNullable("weeklyStart", Rows.millis(s.weekly().start()))
                .put("monthlyUsed", s.monthly().used()).putNullable("monthlyStart", Rows.millis(s.monthly().start()));
        db.tx("subscription save", h -> {
            db.upsert(h, "subscription.save", args);
            return null;
        });
    }

    @Override
    public Optional<SubscriptionState> addUsage(long userId, long groupId, Money cost, Instant now) {
        if (cost == null || cost.isNegative()) {
            throw new IllegalArgumentException("cost must not be null or negative: " + cost);
        }
        Objects.requireNonNull(now, "now");
        return db.tx("subscription add usage", h -> addUsage(h, userId, groupId, cost.nanos(), now) == 0
                ? Optional.<SubscriptionState>empty() : read(h, userId, groupId));
    }

    /** Adds to the three windows inside the caller's transaction; returns 0 when there is no subscription. */
    int addUsage(Handle h, long userId, long groupId, long nanos, Instant now) {
        return addUsageArgs(userId, groupId, nanos, now).bindTo(db.updateNamed(h, "subscription.add_usage")).execute();
    }

    /** The arguments of the {@code subscription.add_usage} update. */
    static Args addUsageArgs(long userId, long groupId, long nanos, Instant now) {
        Args args = Args.of().put("userId", userId).put("groupId", groupId).put("cost", nanos);
        bindWindow(args, "daily", QuotaWindows.subscription(Period.DAILY), now);
        bindWindow(args, "weekly", QuotaWindows.subscription(Period.WEEKLY), now);
        bindWindow(args, "monthly", QuotaWindows.subscription(Period.MONTHLY), now);
        return args;
    }

    static void bindWindow(Args args, String name, Window window, Instant now) {
        args.put(name + "Expired", window.expiredBeforeMillis(now, ZONE))
                .put(name + "Start", window.startAt(null, now, ZONE).toEpochMilli());
    }

    private Optional<SubscriptionState> read(Handle h, long userId, long groupId) {
        return db.queryNamed(h, "subscription.find").bind("userId", userId).bind("groupId", groupId)
                .map(Rows.decoding(db.prefix + "subscription", rs -> "user_id=" + rs.getLong("user_id") + ", group_id="
                        + rs.getLong("group_id"), (rs, ctx) -> new SubscriptionState(rs.getLong("user_id"),
                        rs.getLong("group_id"),
                        SubscriptionStatus.valueOf(rs.getString("status")),
                        Instant.ofEpochMilli(rs.getLong("expires_at")),
                        Rows.window(rs, "daily_used", "daily_start"),
                        Rows.window(rs, "weekly_used", "weekly_start"),
                        Rows.window(rs, "monthly_used", "monthly_start"))))
                .findOne();
    }
}
