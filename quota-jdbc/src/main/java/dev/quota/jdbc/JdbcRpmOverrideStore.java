package dev.quota.jdbc;

import dev.quota.core.spi.RpmOverrideStore;
import java.util.OptionalLong;

/** {@link RpmOverrideStore} on the {@code rpm_override} table. */
final class JdbcRpmOverrideStore implements RpmOverrideStore {

    private final Db db;

    JdbcRpmOverrideStore(Db db) {
        this.db = db;
    }

    @Override
    public OptionalLong find(long userId, long groupId) {
        return db.call("rpm override find", h -> db.queryNamed(h, "rpm_override.find")
                .bind("userId", userId).bind("groupId", groupId)
                .map((rs, ctx) -> rs.getLong(1)).findOne()
                .map(OptionalLong::of).orElse(OptionalLong.empty()));
    }

    @Override
    public void set(long userId, long groupId, long rpm) {
        if (rpm < 0) {
            throw new IllegalArgumentException("rpm must not be negative: " + rpm);
        }
        Args args = Args.of().put("userId", userId).put("groupId", groupId).put("rpm", rpm);
        db.tx("rpm override set", h -> {
            db.upsert(h, "rpm_override.set", args);
            return null;
        });
    }

    @Override
    public void remove(long userId, long groupId) {
        db.call("rpm override remove", h -> db.updateNamed(h, "rpm_override.remove")
                .bind("userId", userId).bind("groupId", groupId).execute());
    }
}
