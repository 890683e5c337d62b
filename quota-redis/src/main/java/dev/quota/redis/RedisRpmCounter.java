package dev.quota.redis;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.spi.RpmCounter;
import java.time.Instant;
import java.util.Objects;

/**
 * {@link RpmCounter} on Redis: one script call per increment, which creates the bucket counter with its
 * TTL in the same atomic step. Uses the same keys as a check ({@link PlainCheck}), so counts taken here and counts
 * taken by {@code BillingCache.check} add up. Thread-safe.
 */
final class RedisRpmCounter implements RpmCounter {

    private final ScriptClient client;
    private final RedisKeys keys;
    private final LuaScript script;
    private final Arg ttlMillis;

    RedisRpmCounter(ScriptClient client, RedisQuotaOptions options, RedisKeys keys, Scripts scripts) {
        this.client = client;
        this.keys = keys;
        this.script = scripts.rpm();
        this.ttlMillis = Arg.of(Ascii.digits(options.rpmCounterTtl().toMillis()));
    }

    @Override
    public long increment(long userId, Long groupId, Instant bucketStart) {
        Objects.requireNonNull(bucketStart, "bucketStart");
        long bucket = bucketStart.toEpochMilli();
        String key = groupId == null ? keys.rpmUser(userId, bucket) : keys.rpmGroup(userId, groupId, bucket);
        Object reply = script.runBinary(client,
                ScriptLayouts.RPM_KEYS.values().set(ScriptLayouts.RpmKey.COUNTER, Ascii.utf8(key)).toArray(),
                ScriptLayouts.RPM_ARGS.values().set(ScriptLayouts.RpmArg.COUNTER_TTL, ttlMillis).toArray());
        if (reply instanceof Long n) {
            return n;
        }
        throw new BackendUnavailableException("unexpected reply from Redis script rpm: " + reply);
    }
}
