package dev.quota.redis;

import dev.quota.core.CheckRequest;
import dev.quota.core.Limit;
import dev.quota.core.cache.BalanceEntry;
import dev.quota.core.cache.KeyModelUsageEntry;
import dev.quota.core.cache.KeyUsageEntry;
import dev.quota.core.cache.PlatformQuotaEntry;
import dev.quota.core.cache.SubscriptionEntry;
import dev.quota.core.limit.HoldScope;
import dev.quota.core.limit.LimitLine;
import dev.quota.core.limit.LimitPlan;
import dev.quota.core.limit.QuotaWindows;
import dev.quota.core.limit.RpmPlan;
import dev.quota.core.limit.SubscriptionStatus;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.spi.Hold;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.args.Rawable;

/**
 * The keys and arguments of {@code check.lua} (a reservation: {@link dev.quota.core.spi.BillingCache#reserve}; a
 * plain check runs no script, {@link PlainCheck}), built by name from the request's {@link LimitPlan}: the one place
 * that knows the layout the script reads (below). What depends only on the plan (the entries' kinds and schema
 * versions; each line's kind, entry, hold scope and the positions of its fields, found by name in the entry's
 * field list, {@link ReplyHash}) is encoded once per plan; a call adds {@code now}, each window line's expiry
 * threshold and cap, the RPM caps and the hold.
 *
 * <p>Every argument costs redis-server about 1,500 instructions to parse and hand to Lua, more than most of what
 * the script does with it, so the layout packs what is constant into one spec per line and sends a line only the
 * values a call changes: the lines have a width by kind rather than one fixed stride.
 *
 * <p>The fixed slots are the constants of {@link Key}, {@link Argv} and (from T) {@link HoldArgv}, in
 * order; {@code check.lua} names them as placeholders ({@code KEYS[$HOLDS]}, {@code ARGV[$NOW]},
 * {@code ARGV[tail + $ESTIMATE]}), replaced with their positions when it is assembled ({@link SlotPlaceholders}).
 *
 * <pre>
 * KEYS  HOLDS the user's holds hash   RPM_GROUP the user x group RPM counter   RPM_USER the user RPM counter
 *       ENTRIES, then one key per entry of the plan (e = 1..E, in plan order)
 *
 * ARGV  NOW epoch ms     STATUSES known subscription statuses as ',A,B,'
 *       GROUP_RPM_CAP ('' = not counted)   USER_RPM_CAP ('' = not counted); only emptiness matters
 *       RPM_TTL the RPM counters' TTL, ms
 *       ENTRY_KINDS the entries: two bytes each, the kind ('b' balance, 's' subscription, 'p' platform quota,
 *         'k' key usage, 'm' key usage on a model; lib.lua's q_read_entry) and the schema version as a digit
 *       TAIL T, the index of the first argument after the lines
 *       LINES, up to T - 1: the lines, in the check order; each starts with its spec, then takes by kind:
 *   spec  bytes, each a small number n sent as the byte 48 + n ('0' + n):
 *         1 the kind: 'b' balance, 'a' subscription active, 'w' window capped by the request,
 *           'e' window capped by a field of its entry
 *         2 the entry's index e    3 the hold scope (0 none, else HoldScope ordinal + 1)
 *         4.. the positions of the fields the line reads in the entry's field list (LimitLine.fields): 'b' the
 *           balance; 'a' status, expiry; 'w' used amount, window start; 'e' used amount, window start, cap
 *   'b', 'a': nothing more
 *   'w': expiry threshold (epoch ms; Window.expiredBeforeMillis), cap (nanos, '' = unset)
 *   'e': expiry threshold
 * from T (HoldArgv): HOLD_ID, ESTIMATE (nanos), HOLD_EXPIRY (epoch ms), HOLD_TTL (ms), then
 *   SCOPE_KEYS, one scope key per HoldScope ('' = not touched; HoldScope.keyOf)
 *
 * Reply: { rpmCounted, groupCount, userCount, admitted, entry_1 .. entry_E, held_1 .. held_S } with each entry
 *        the values of its q_read_* fields when usable, joined with ',' into one bulk string (ReplyHash), else 1
 *        (present but unusable) or 0 (absent); the held amounts per HoldScope
 * </pre>
 *
 * Immutable and thread-safe.
 */
final class CheckArgs {

    /** The script's keys, in order. */
    enum Key implements ScriptSlot {
        HOLDS, RPM_GROUP, RPM_USER,
        /** one key per entry of the plan */
        @Rest
        ENTRIES
    }

    /** The script's fixed arguments, in order, then the lines. */
    enum Argv implements ScriptSlot {
        NOW, STATUSES, GROUP_RPM_CAP, USER_RPM_CAP, RPM_TTL, ENTRY_KINDS, TAIL,
        /** the lines, then the hold */
        @Rest
        LINES
    }

    /** A reservation's arguments, from T (the argument {@link Argv#TAIL}). */
    enum HoldArgv implements ScriptSlot {
        HOLD_ID, ESTIMATE, HOLD_EXPIRY, HOLD_TTL,
        /** one scope key per {@link HoldScope} */
        @Rest
        SCOPE_KEYS
    }

    /** The keys' layout. */
    static final SlotLayout<Key> KEYS = SlotLayout.keys(Key.class);
    /** The fixed arguments' layout. */
    static final SlotLayout<Argv> ARGV = SlotLayout.argv(Argv.class);
    /** The hold's layout, from T. */
    static final SlotLayout<HoldArgv> HOLD_ARGV = SlotLayout.argvFrom(HoldArgv.class);
    /** The index of the first entry's key. */
    static final int FIRST_ENTRY_KEY = KEYS.index(Key.ENTRIES);

    /** Positions in the reply. */
    static final int COUNTED = 0;
    static final int GROUP_COUNT = 1;
    static final int USER_COUNT = 2;
    static final int ADMITTED = 3;
    static final int FIRST_ENTRY = 4;

    private static final Arg EMPTY = Arg.of(new byte[0]);
    private static final Arg STATUSES;
    private static final HoldScope[] SCOPES = HoldScope.values();
    private static final PlanArgs[] PLANS;

    static {
        StringBuilder sb = new StringBuilder(",");
        for (SubscriptionStatus s : SubscriptionStatus.values()) {
            sb.append(s.name()).append(',');
        }
        STATUSES = Arg.of(Ascii.utf8(sb.toString()));
        List<LimitPlan> plans = LimitPlan.all();
        PLANS = new PlanArgs[plans.size()];
        for (LimitPlan p : plans) {
            PLANS[p.id()] = new PlanArgs(p);
        }
    }

    /** The arguments that depend only on a plan, encoded once. */
    private static final class PlanArgs {
        final LimitPlan plan;
        final LimitLine[] lines;
        /** the entries descriptor and T */
        final Arg entries;
        final Arg tail;
        /** per line: its spec */
        final Arg[] spec;
        final int width;

        PlanArgs(LimitPlan plan) {
            this.plan = plan;
            this.lines = plan.lines().toArray(new LimitLine[0]);
            StringBuilder e = new StringBuilder();
            for (CacheEntryKind kind : plan.entries()) {
                e.append(kindLetter(kind)).append(small(schemaVersion(kind)));
            }
            this.entries = Arg.of(Ascii.utf8(e.toString()));
            this.spec = new Arg[lines.length];
            int args = 0;
            for (int l = 0; l < lines.length; l++) {
                LimitLine line = lines[l];
                StringBuilder b = new StringBuilder();
                b.append(switch (line.kind()) {
                    case BALANCE -> 'b';
                    case SUBSCRIPTION_ACTIVE -> 'a';
                    case WINDOW -> line.cappedByRequest() ? 'w' : 'e';
                });
                b.append(small(plan.entryIndex(line.entry()) + 1));
                b.append(small(line.holdScope() == null ? 0 : line.holdScope().ordinal() + 1));
                String[] fields = ReplyHash.fieldsOf(line.entry());
                for (String field : line.fields()) {
                    b.append(small(position(fields, field)));
                }
                args += 1 + (line.kind() != LimitLine.Kind.WINDOW ? 0 : line.cappedByRequest() ? 2 : 1);
                spec[l] = Arg.of(Ascii.utf8(b.toString()));
            }
            this.width = args;
            this.tail = Arg.of(Ascii.digits(ARGV.placeholder(Argv.LINES) + args));
        }

        private static int position(String[] fields, String field) {
            for (int i = 0; i < fields.length; i++) {
                if (fields[i].equals(field)) {
                    return i + 1;
                }
            }
            throw new IllegalStateException("the entry's field list has no " + field);
        }

        private static char small(int n) {
            if (n < 0 || n > 74) {
                throw new IllegalStateException("not a small number: " + n);
            }
            return (char) ('0' + n);
        }
    }

    /** One call's keys and arguments. */
    record Call(Rawable[] keys, Rawable[] args, LimitPlan plan) {
    }

    private final RedisKeys keys;
    private final Arg rpmTtl;
    private final CalendarStarts thresholds = new CalendarStarts();
    /**
     * The digits of the caps, which come from configuration, and of the RPM minute's start, which every call of
     * the minute sends: the same few values recur from call to call.
     */
    private final RecurringDigits recurring = new RecurringDigits();

    CheckArgs(RedisKeys keys, long rpmTtlMillis) {
        this.keys = keys;
        this.rpmTtl = Arg.of(Ascii.digits(rpmTtlMillis));
    }

    /**
     * @param check the check
     * @param hold the hold to take
     * @return the script's keys and arguments
     */
    Call build(CacheCheck check, Hold hold) {
        CheckRequest r = check.request();
        long user = r.userId();
        Instant now = check.now();
        ZoneId zone = check.zone();
        RpmPlan rpm = requireCountable(check);
        PlanArgs p = PLANS[LimitPlan.of(r).id()];
        byte[] bucketDigits = recurring.digits(QuotaWindows.RPM.bucketStart(now).toEpochMilli()).getRaw();
        long group = r.groupId() == null ? 0 : r.groupId();

        List<CacheEntryKind> entries = p.plan.entries();
        byte[] userKey = keys.userBytes(user);
        SlotLayout.Values<Key> k = KEYS.values(entries.size())
                .set(Key.HOLDS, RedisKeys.holdsBytes(userKey))
                .set(Key.RPM_GROUP, RedisKeys.rpmGroupBytes(userKey, group, bucketDigits))
                .set(Key.RPM_USER, RedisKeys.rpmUserBytes(userKey, bucketDigits));
        for (int e = 0; e < entries.size(); e++) {
            k.add(entryKey(entries.get(e), userKey, r));
        }

        SlotLayout.Values<Argv> a = ARGV.values(p.width + HOLD_ARGV.size() + SCOPES.length)
                .set(Argv.NOW, Ascii.digits(now.toEpochMilli()))
                .set(Argv.STATUSES, STATUSES)
                .set(Argv.GROUP_RPM_CAP, rpm.groupLimit() == null ? EMPTY : recurring.digits(rpm.groupLimit().cap()))
                .set(Argv.USER_RPM_CAP, rpm.userLimit() == null ? EMPTY : recurring.digits(rpm.userLimit().cap()))
                .set(Argv.RPM_TTL, rpmTtl)
                .set(Argv.ENTRY_KINDS, p.entries)
                .set(Argv.TAIL, p.tail);
        for (int l = 0; l < p.lines.length; l++) {
            LimitLine line = p.lines[l];
            a.add(p.spec[l]);
            if (line.kind() == LimitLine.Kind.WINDOW) {
                a.add(thresholds.expiredBeforeDigits(line.window(), now, zone));
                if (line.cappedByRequest()) {
                    a.add(cap(line.requestCap(r)));
                }
            }
        }
        SlotLayout.Values<HoldArgv> held = HOLD_ARGV.values(SCOPES.length)
                .set(HoldArgv.HOLD_ID, Ascii.utf8(hold.holdId()))
                .set(HoldArgv.ESTIMATE, Ascii.digits(hold.estimate().nanos()))
                .set(HoldArgv.HOLD_EXPIRY, Ascii.digits(hold.expiresAt().toEpochMilli()))
                .set(HoldArgv.HOLD_TTL,
                        Ascii.digits(Math.max(1, hold.expiresAt().toEpochMilli() - now.toEpochMilli())));
        for (HoldScope scope : SCOPES) {
            String key = scope.keyOf(r);
            held.add(key == null ? EMPTY : Ascii.utf8(key));
        }
        for (Rawable v : held.toArray()) {
            a.add(v);
        }
        return new Call(k.toArray(), a.toArray(), p.plan);
    }

    /**
     * @param check a check or reservation
     * @return its RPM plan
     * @throws IllegalArgumentException when the plan counts a group and the request has none
     */
    static RpmPlan requireCountable(CacheCheck check) {
        RpmPlan rpm = check.rpmPlan();
        if (rpm.groupLimit() != null && check.request().groupId() == null) {
            throw new IllegalArgumentException("the RPM plan counts a group but the request has none");
        }
        return rpm;
    }

    /**
     * @param plan the plan
     * @return the length of the script's reply
     */
    static int replySize(LimitPlan plan) {
        return FIRST_ENTRY + plan.entries().size() + SCOPES.length;
    }

    /** @return the Redis key of an entry the request reads, from the user's part of the keys */
    static byte[] entryKey(CacheEntryKind kind, byte[] user, CheckRequest r) {
        return switch (kind) {
            case BALANCE -> RedisKeys.balanceBytes(user);
            case SUBSCRIPTION -> RedisKeys.subscriptionBytes(user, r.groupId());
            case PLATFORM_QUOTA -> RedisKeys.platformQuotaBytes(user, r.platform());
            case KEY_USAGE -> RedisKeys.keyUsageBytes(user, r.apiKeyId());
            case KEY_MODEL_USAGE -> RedisKeys.keyModelUsageBytes(user, r.apiKeyId(), r.model());
        };
    }

    /** @return the entry kind's letter, which selects its reader in {@code lib.lua}'s {@code q_read_entry} */
    static String kindLetter(CacheEntryKind kind) {
        return switch (kind) {
            case BALANCE -> "b";
            case SUBSCRIPTION -> "s";
            case PLATFORM_QUOTA -> "p";
            case KEY_USAGE -> "k";
            case KEY_MODEL_USAGE -> "m";
        };
    }

    /** @return the entry kind's current schema version */
    static int schemaVersion(CacheEntryKind kind) {
        return switch (kind) {
            case BALANCE -> BalanceEntry.SCHEMA_VERSION;
            case SUBSCRIPTION -> SubscriptionEntry.SCHEMA_VERSION;
            case PLATFORM_QUOTA -> PlatformQuotaEntry.SCHEMA_VERSION;
            case KEY_USAGE -> KeyUsageEntry.SCHEMA_VERSION;
            case KEY_MODEL_USAGE -> KeyModelUsageEntry.SCHEMA_VERSION;
        };
    }

    private Object cap(Limit limit) {
        return limit.isUnlimited() ? EMPTY : recurring.digits(limit.cap());
    }
}
