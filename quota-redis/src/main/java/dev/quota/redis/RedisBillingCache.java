package dev.quota.redis;

import static dev.quota.redis.Replies.amount;
import static dev.quota.redis.Replies.flag;
import static dev.quota.redis.Replies.list;
import static dev.quota.redis.Replies.number;
import static dev.quota.redis.Replies.text;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.HoldScope;
import dev.quota.core.limit.Holds;
import dev.quota.core.limit.SubscriptionStatus;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.CacheEntry;
import dev.quota.core.spi.EntryRef;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.spi.CheckView;
import dev.quota.core.spi.Hold;
import dev.quota.core.spi.Pingable;
import dev.quota.core.spi.ReserveView;
import dev.quota.core.UsageEvent;
import dev.quota.redis.ScriptLayouts.EntryKey;
import dev.quota.redis.ScriptLayouts.PutArg;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.args.Rawable;
import redis.clients.jedis.exceptions.JedisException;

/**
 * {@link BillingCache} on Redis: a check is one round trip of plain commands ({@link PlainCheck}); a record,
 * reservation, settlement, refill and eviction one Lua script call each (a release is one {@code HDEL}); entries as hashes under {@link RedisKeys}. Refills write only
 * when no valid entry is cached and the entry's dirty marker ({@link RedisKeys#dirty}) is absent; a record
 * or settlement sets the marker of every target entry it met absent or invalid, an eviction that of the
 * entry it drops, each for {@link RedisQuotaOptions#dirtyTtl()}. All time values come from the caller's
 * {@code now} and zone and travel to the scripts as epoch milliseconds; money travels as decimal strings of
 * nano-units. Thread-safe (as thread-safe as the {@link UnifiedJedis} it is given).
 */
final class RedisBillingCache implements BillingCache, Pingable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisBillingCache.class);
    /** Known subscription statuses as {@code ,A,B,} (the scripts' argument). */
    private static final Arg STATUSES;
    // constant script arguments, encoded once

    static {
        StringBuilder sb = new StringBuilder(",");
        for (SubscriptionStatus s : SubscriptionStatus.values()) {
            sb.append(s.name()).append(',');
        }
        STATUSES = Arg.of(utf8(sb.toString()));
    }

    private final ScriptClient client;
    private final UnifiedJedis jedis;
    private final RedisQuotaOptions options;
    private final RedisKeys keys;
    private final LuaScript checkScript;
    private final LuaScript applyScript;
    private final LuaScript putScript;
    private final LuaScript evictScript;
    private final LuaScript renewScript;
    private final Arg dirtyTtlArg;
    private final CheckArgs checkArgs;
    private final PlainCheck plainCheck;
    private final ApplyArgs applyArgs;

    RedisBillingCache(ScriptClient client, RedisQuotaOptions options, RedisKeys keys, Scripts scripts) {
        this.client = client;
        this.jedis = client.jedis();
        this.options = options;
        this.keys = keys;
        this.checkScript = scripts.check();
        this.applyScript = scripts.apply();
        this.putScript = scripts.put();
        this.evictScript = scripts.evict();
        this.renewScript = scripts.renew();
        this.dirtyTtlArg = Arg.of(digits(options.dirtyTtl().toMillis()));
        this.checkArgs = new CheckArgs(keys, options.rpmCounterTtl().toMillis());
        this.plainCheck = new PlainCheck(client, keys, scripts.uncount(), options.rpmCounterTtl().toMillis());
        this.applyArgs = new ApplyArgs(keys, options);
    }

    @Override
    public CheckView check(CacheCheck check) {
        Objects.requireNonNull(check, "check");
        return plainCheck.check(check);
    }

    @Override
    public ReserveView reserve(CacheCheck check, Hold hold) {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(hold, "hold");
        CheckArgs.Call call = checkArgs.build(check, hold);
        List<?> reply = list(checkScript.runBinary(client, call.keys(), call.args()),
                CheckArgs.replySize(call.plan()), checkScript);
        CheckView view = view(check, call, reply);
        int first = CheckArgs.FIRST_ENTRY + call.plan().entries().size();
        long[] amounts = new long[HoldScope.values().length];
        for (int k = 0; k < amounts.length; k++) {
            amounts[k] = amount(reply.get(first + k));
        }
        return new ReserveView(view, Holds.of(amounts), flag(reply.get(CheckArgs.ADMITTED)));
    }

    /** The entries, misses and RPM counts of the reservation script's reply. */
    private static CheckView view(CacheCheck check, CheckArgs.Call call, List<?> reply) {
        CheckRequest r = check.request();
        CheckView.Builder found = CheckView.builder();
        ReplyHash reader = new ReplyHash();
        List<CacheEntryKind> entries = call.plan().entries();
        for (int e = 0; e < entries.size(); e++) {
            read(found, reader, entries.get(e), r, reply.get(CheckArgs.FIRST_ENTRY + e),
                    call.keys()[CheckArgs.FIRST_ENTRY_KEY + e].getRaw());
        }
        return found.build(flag(reply.get(CheckArgs.COUNTED)), number(reply.get(CheckArgs.GROUP_COUNT)),
                number(reply.get(CheckArgs.USER_COUNT)));
    }

    /**
     * One entry of the reservation's reply: its values, joined ({@link ReplyHash}), when the script found it usable,
     * else 1 when it exists but is of another schema version or corrupt, or 0 when it is absent.
     */
    private static void read(CheckView.Builder found, ReplyHash reader, CacheEntryKind kind, CheckRequest request,
                             Object entry, byte[] key) {
        if (entry instanceof Long present) {
            if (present == 1 && LOG.isDebugEnabled()) {
                LOG.debug("cache entry {} is of another schema version or corrupt; treating it as a miss", text(key));
            }
            found.miss(kind);
        } else if (!found.readFields(kind, request, reader.over(ReplyHash.fieldsOf(kind), entry))) {
            // the script validates strictly, so this only happens if script and codec disagree
            LOG.warn("cache entry {} passed the script's validation but not the codec; treating it as a miss", text(key));
        }
    }

    @Override
    public boolean applyUsage(UsageEvent event, Instant now, ZoneId zone) {
        return apply(null, event, now, zone);
    }

    @Override
    public boolean settle(String holdId, UsageEvent event, Instant now, ZoneId zone) {
        requireHoldId(holdId);
        return apply(holdId, event, now, zone);
    }

    private boolean apply(String holdId, UsageEvent event, Instant now, ZoneId zone) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(zone, "zone");
        ApplyArgs.Call call = applyArgs.build(holdId, event, now, zone);
        long user = event.userId();
        List<?> reply = list(applyScript.runBinary(client, call.keys(), call.args()), ApplyArgs.REPLY_SIZE,
                applyScript);
        boolean applied = flag(reply.get(0));
        if (applied && LOG.isTraceEnabled()) {
            LOG.trace("applied {} to user {}: main={} platform={} key={} model={}", event.requestId(), user,
                    reply.get(1), reply.get(2), reply.get(3), reply.get(4));
        }
        return applied;
    }

    /** One {@code PING} (in a cluster, to one node the client picks). */
    @Override
    public void ping() {
        String reply;
        try {
            reply = jedis.ping();
        } catch (JedisException e) {
            throw new BackendUnavailableException("Redis PING failed: " + e.getMessage(), e);
        }
        if (!"PONG".equalsIgnoreCase(reply)) {
            throw new BackendUnavailableException("unexpected reply to Redis PING: " + reply);
        }
    }

    @Override
    public boolean release(long userId, String holdId) {
        requireHoldId(holdId);
        // The port passes no time, so (like the in-memory fake) a hold counts as live until a later reserve
        // or settle of the same user purged it; dropping it is a single HDEL.
        String key = keys.holds(userId);
        try {
            return jedis.hdel(key, holdId) > 0;
        } catch (JedisException e) {
            throw new BackendUnavailableException("Redis HDEL " + key + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>One script call on the user's holds hash. The port passes no {@code now}, so (as for
     * {@link #release}) a hold counts as live until a later reserve or settle of the same user purged it after
     * it lapsed; reviving a lapsed hold that no reservation has purged yet admits nothing that was not
     * admitted already, because only a reservation could have used its room, and a reservation purges it.
     */
    @Override
    public boolean renew(long userId, String holdId, Instant expiresAt) {
        requireHoldId(holdId);
        Objects.requireNonNull(expiresAt, "expiresAt");
        Object reply = renewScript.runBinary(client,
                ScriptLayouts.RENEW_KEYS.values().set(ScriptLayouts.RenewKey.HOLDS, utf8(keys.holds(userId))).toArray(),
                ScriptLayouts.RENEW_ARGS.values().set(ScriptLayouts.RenewArg.HOLD_ID, utf8(holdId))
                        .set(ScriptLayouts.RenewArg.EXPIRY, digits(expiresAt.toEpochMilli())).toArray());
        return flag(reply);
    }

    @Override
    public boolean put(CacheEntry entry) {
        Objects.requireNonNull(entry, "entry");
        long ttlMillis = entry instanceof CacheEntry.ApiKeyUsage || entry instanceof CacheEntry.ApiKeyModelUsage
                ? options.keyUsageTtl().toMillis() : options.jitteredEntryTtlMillis();
        return put(key(entry.ref()), tag(entry.ref()), entry.schemaVersion(), entry.encode(), ttlMillis);
    }

    @Override
    public void evict(EntryRef ref) {
        Objects.requireNonNull(ref, "ref");
        evict(key(ref));
    }

    /** @return {@link RedisQuotaOptions#dirtyTtl()}, the TTL of the dirty markers */
    @Override
    public Duration dirtyTtl() {
        return options.dirtyTtl();
    }

    /** The Redis key of an entry. */
    private String key(EntryRef ref) {
        if (ref instanceof EntryRef.BalanceRef b) {
            return keys.balance(b.userId());
        } else if (ref instanceof EntryRef.SubscriptionRef s) {
            return keys.subscription(s.userId(), s.groupId());
        } else if (ref instanceof EntryRef.PlatformQuotaRef p) {
            return keys.platformQuota(p.userId(), p.platform());
        } else if (ref instanceof EntryRef.KeyUsageRef k) {
            return keys.keyUsage(k.userId(), k.apiKeyId());
        } else if (ref instanceof EntryRef.KeyModelUsageRef m) {
            return keys.keyModelUsage(m.userId(), m.apiKeyId(), m.model());
        }
        throw new IllegalArgumentException("unknown entry " + ref);
    }

    /** The entry kind's letter, as {@code put.lua} validates the cached entry with {@code lib.lua}'s codecs. */
    private static String tag(EntryRef ref) {
        switch (ref.kind()) {
            case BALANCE:
                return "b";
            case SUBSCRIPTION:
                return "s";
            case PLATFORM_QUOTA:
                return "p";
            case KEY_USAGE:
                return "k";
            case KEY_MODEL_USAGE:
                return "m";
            default:
                throw new IllegalArgumentException("unknown entry " + ref);
        }
    }

    /**
     * A refill: one script call that writes the entry with its TTL unless its dirty marker lives or a valid
     * entry of the current schema version is cached.
     */
    private boolean put(String key, String kind, int schemaVersion, Map<String, String> fields, long ttlMillis) {
        SlotLayout.Values<PutArg> a = ScriptLayouts.PUT_ARGS.values(2 * fields.size())
                .set(PutArg.TTL, digits(ttlMillis))
                .set(PutArg.KIND, utf8(kind))
                .set(PutArg.SCHEMA_VERSION, digits(schemaVersion))
                .set(PutArg.STATUSES, STATUSES);
        fields.forEach((f, v) -> a.add(utf8(f)).add(utf8(v)));
        Object reply = putScript.runBinary(client, entryKeys(key), a.toArray());
        boolean written = flag(reply);
        if (!written) {
            LOG.debug("refill of {} refused: a valid entry is cached or the entry is dirty", key);
        }
        return written;
    }

    /** An eviction: deletes the entry and sets its dirty marker, atomically, in one script call. */
    private void evict(String key) {
        evictScript.runBinary(client, entryKeys(key),
                ScriptLayouts.EVICT_ARGS.values().set(ScriptLayouts.EvictArg.DIRTY_TTL, dirtyTtlArg).toArray());
    }

    /** The keys of put and evict: the entry and its dirty marker. */
    private Rawable[] entryKeys(String key) {
        return ScriptLayouts.ENTRY_KEYS.values().set(EntryKey.ENTRY, utf8(key))
                .set(EntryKey.DIRTY, utf8(keys.dirty(key)))
                .toArray();
    }

    private static byte[] digits(long value) {
        return Ascii.digits(value);
    }

    private static byte[] utf8(String text) {
        return Ascii.utf8(text);
    }

    private static void requireHoldId(String holdId) {
        if (holdId == null || holdId.isBlank() || holdId.length() > 128) {
            throw new IllegalArgumentException("holdId must be 1 to 128 non-blank characters");
        }
    }
}
