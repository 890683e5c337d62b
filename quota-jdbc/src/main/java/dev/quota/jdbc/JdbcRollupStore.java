package dev.quota.jdbc;

import dev.quota.core.Money;
import dev.quota.core.spi.RollupStore;
import dev.quota.core.usage.HourlyUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@link RollupStore} on the {@code usage_hourly} table. A call's roll-ups are first summed per (hour, user,
 * model) in Java, then upserted in key order (so concurrent writers lock rows in the same order) inside one
 * transaction: all or nothing.
 */
final class JdbcRollupStore implements RollupStore {

    static final Comparator<HourlyUsage> KEY_ORDER = Comparator.comparing(HourlyUsage::hour)
            .thenComparingLong(HourlyUsage::userId).thenComparing(HourlyUsage::model);

    private final Db db;

    JdbcRollupStore(Db db) {
        this.db = db;
    }

    @Override
    public void add(Collection<HourlyUsage> rollups) {
        Objects.requireNonNull(rollups, "rollups");
        TreeMap<HourlyUsage, HourlyUsage> merged = new TreeMap<>(KEY_ORDER);
        for (HourlyUsage r : rollups) {
            Objects.requireNonNull(r, "rollup");
            if (r.model().length() > JdbcPlatformQuotaStore.MAX_NAME_LENGTH) {
                throw new IllegalArgumentException("model must be at most 128 characters");
            }
            merged.merge(r, r, HourlyUsage::plus);
        }
        if (merged.isEmpty()) {
            return;
        }
        db.tx("rollup add", h -> {
            for (HourlyUsage r : merged.values()) {
                db.upsert(h, "rollup.add", addArgs(r));
            }
            return null;
        });
    }

    /** The arguments of the {@code rollup.add} upsert that adds {@code r}. */
    static Args addArgs(HourlyUsage r) {
        return Args.of().put("hour", r.hour().toEpochMilli()).put("userId", r.userId())
                .put("model", r.model()).put("requests", r.requests()).put("tokens", r.tokens())
                .put("cost", r.cost().nanos());
    }

    @Override
    public List<HourlyUsage> find(Long userId, Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return db.call("rollup find", h -> {
            var q = userId == null ? db.queryNamed(h, "rollup.find_all")
                    : db.queryNamed(h, "rollup.find_user").bind("userId", userId.longValue());
            List<HourlyUsage> rows = q.bind("from", from.toEpochMilli()).bind("to", to.toEpochMilli())
                    .map((rs, ctx) -> new HourlyUsage(Instant.ofEpochMilli(rs.getLong("hour_start")),
                            rs.getLong("user_id"), rs.getString("model"), rs.getLong("requests"),
                            rs.getLong("tokens"), Money.ofNanos(rs.getLong("cost"))))
                    .list();
            List<HourlyUsage> sorted = new ArrayList<>(rows);
            sorted.sort(KEY_ORDER); // Java string order, whatever the column collation
            return sorted;
        });
    }

    @Override
    public int deleteRange(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return db.call("rollup delete range", h -> db.updateNamed(h, "rollup.delete_range")
                .bind("from", from.toEpochMilli()).bind("to", to.toEpochMilli()).execute());
    }
}
