package dev.quota.jdbc;

import dev.quota.core.limit.KeyModelUsage;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.spi.WindowCounterStore;
import dev.quota.core.window.Window;
import dev.quota.core.window.WindowUsage;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * {@link WindowCounterStore} on the {@code window_counter} table. An increment is one upsert whose CASE
 * expressions compare the stored start with {@link Window#expiredBeforeMillis} and reset to
 * {@link Window#startAt}{@code (null, now, zone)}, both computed in Java; the new value is read back in the
 * same transaction. The API key windows the ledger keeps are not in {@code window_counter} (schema version 7 moved
 * them): {@link #findKeyUsage} and {@link #findKeyModelUsage} read their one row each ({@link ApiKeyRows}).
 */
final class JdbcWindowCounterStore implements WindowCounterStore {

    /** The longest counter name accepted (the column is VARCHAR(200)). */
    static final int MAX_NAME_LENGTH = 200;

    private final Db db;
    private final ApiKeyRows keys;

    JdbcWindowCounterStore(Db db) {
        this.db = db;
        this.keys = new ApiKeyRows(db);
    }

    @Override
    public WindowUsage add(String counter, Window window, long amount, Instant now, ZoneId zone) {
        requireName(counter);
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(zone, "zone");
        if (amount < 0) {
            throw new IllegalArgumentException("amount must not be negative: " + amount);
        }
        return db.tx("window counter add", h -> {
            add(h, counter, window, amount, now, zone);
            return read(h, counter).orElseThrow();
        });
    }

    /** The increment-or-reset upsert inside the caller's transaction. */
    void add(Handle h, String counter, Window window, long amount, Instant now, ZoneId zone) {
        db.upsert(h, "window_counter.add", addArgs(counter, window, amount, now, zone));
    }

    /** The arguments of the {@code window_counter.add} upsert. */
    static Args addArgs(String counter, Window window, long amount, Instant now, ZoneId zone) {
        return Args.of().put("name", counter).put("label", window.label()).put("amount", amount)
                .put("expiredBefore", window.expiredBeforeMillis(now, zone))
                .put("newStart", window.startAt(null, now, zone).toEpochMilli());
    }

    @Override
    public Optional<WindowUsage> find(String counter) {
        Objects.requireNonNull(counter, "counter");
        if (counter.isBlank() || counter.length() > MAX_NAME_LENGTH) {
            return Optional.empty(); // no such counter can exist
        }
        return db.call("window counter find", h -> read(h, counter));
    }

    /** One row of {@code api_key_usage}, one query. */
    @Override
    public Optional<KeyUsage> findKeyUsage(long userId, long apiKeyId) {
        return keys.find(userId, apiKeyId);
    }

    /** One row of {@code api_key_model_usage}, one query. */
    @Override
    public Optional<KeyModelUsage> findKeyModelUsage(long userId, long apiKeyId, String model) {
        return keys.findModel(userId, apiKeyId, model);
    }

    private Optional<WindowUsage> read(Handle h, String counter) {
        return db.queryNamed(h, "window_counter.find").bind("name", counter)
                .map(Rows.decoding(db.prefix + "window_counter", rs -> "name=" + DeadLetters.escape(counter),
                        (rs, ctx) -> Rows.window(rs, "used", "window_start"))).findOne();
    }

    private static void requireName(String counter) {
        if (counter == null || counter.isBlank() || counter.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("counter name must be 1 to " + MAX_NAME_LENGTH + " non-blank characters");
        }
    }
}
