package dev.quota.redis;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.LimitPlan;
import dev.quota.core.limit.QuotaWindows;
import dev.quota.core.limit.RpmPlan;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.spi.CheckView;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.args.Rawable;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.Pool;

/**
 * {@link BillingCache#check} as plain commands in one round trip, without a script: {@code HMGET} of exactly the
 * fields the codecs read of each entry the request's {@link LimitPlan} needs, then, for each RPM counter the
 * {@link RpmPlan} counts, {@code SET <counter> 0 NX PX <ttl>} and {@code INCR <counter>}.
 *
 * <p>The entries are decoded and validated here by quota-core's codecs (a key of another type reads as absent,
 * as in the scripts), and the request's billing lines are walked as the in-memory cache walks them
 * ({@link CacheCheck#doomedBy}). When the request is doomed (an entry missing or unusable, a line denying) the counts are
 * taken back in a second round trip ({@code uncount.lua}), so that what stays counted is what the scripts
 * counted: only requests that every other limit admits ("RPM last"). A counter that cannot be counted (a key of
 * another type, a value at the maximum) fails an admitted check with {@link BackendUnavailableException} after
 * the other counts are taken back, so nothing stays written; for a doomed check it changes nothing.
 *
 * <p>Why not a script: each {@code HMGET} and {@code INCR} costs redis-server a few microseconds on its own,
 * while a script call that runs the same commands spent several times that on its arguments, the commands'
 * replies turned into Lua values, and its own validation (quota-bench/RESULTS.md, issue 13). What a check
 * writes needs no atomicity beyond each {@code INCR}'s: the entries are only read. Between the counts and their
 * taking back, a concurrent check of the same user sees them, so at a cap it may be denied where it would not
 * have been (never admitted where it would not have been).
 *
 * <p>Thread-safe.
 */
final class PlainCheck {

    private static final Logger LOG = LoggerFactory.getLogger(PlainCheck.class);
    /** Per entry kind (ordinal): the names of the fields read, as {@link ReplyHash} lists them, as arguments. */
    private static final Rawable[][] FIELDS;

    static {
        CacheEntryKind[] kinds = CacheEntryKind.values();
        FIELDS = new Rawable[kinds.length][];
        for (CacheEntryKind kind : kinds) {
            String[] names = ReplyHash.fieldsOf(kind);
            FIELDS[kind.ordinal()] = new Rawable[names.length];
            for (int i = 0; i < names.length; i++) {
                FIELDS[kind.ordinal()][i] = Arg.of(Ascii.utf8(names[i]));
            }
        }
    }

    private final ScriptClient client;
    private final RedisKeys keys;
    private final LuaScript uncount;
    private final CommandRound.CounterTtl counterTtl;
    /** The standalone client's pool, whose connections a round borrows, or null. */
    private final Pool<Connection> pool;
    private final RecurringDigits recurring = new RecurringDigits();

    /**
     * @param client the client, and its pipeline when there is one
     * @param keys the key layout
     * @param uncount {@code uncount.lua}
     * @param rpmTtlMillis the RPM counters' TTL
     */
    PlainCheck(ScriptClient client, RedisKeys keys, LuaScript uncount, long rpmTtlMillis) {
        this.client = client;
        this.keys = keys;
        this.uncount = uncount;
        this.counterTtl = CommandRound.CounterTtl.of(rpmTtlMillis);
        this.pool = CommandRound.poolOf(client.jedis());
    }

    /**
     * @param check the check
     * @return what the cache holds for it, with the RPM counts when it counted them
     * @throws IllegalArgumentException when the RPM plan counts a group and the request has none
     * @throws BackendUnavailableException when Redis fails, or a counter of an admitted check cannot be counted
     */
    CheckView check(CacheCheck check) {
        CheckRequest r = check.request();
        RpmPlan rpm = CheckArgs.requireCountable(check);
        List<CacheEntryKind> kinds = LimitPlan.of(r).entries();
        byte[] user = keys.userBytes(r.userId());
        byte[][] entryKeys = new byte[kinds.size()][];
        byte[] groupCounter = null;
        byte[] userCounter = null;
        CheckView view;
        Count group;
        Count userCount;
        // the round's connection goes back before anything is taken back (a second connection of the same pool)
        try (CommandRound round = CommandRound.open(client.jedis(), client.pipeline(), pool)) {
            for (int e = 0; e < entryKeys.length; e++) {
                CacheEntryKind kind = kinds.get(e);
                entryKeys[e] = CheckArgs.entryKey(kind, user, r);
                // the replies of the entries are 0 .. E - 1, in plan order
                round.hmget(entryKeys[e], FIELDS[kind.ordinal()]);
            }
            int groupReply = -1;
            int userReply = -1;
            if (rpm.groupLimit() != null || rpm.userLimit() != null) {
                byte[] bucket = recurring.digits(QuotaWindows.RPM.bucketStart(check.now()).toEpochMilli()).getRaw();
                if (rpm.groupLimit() != null) {
                    groupCounter = RedisKeys.rpmGroupBytes(user, r.groupId(), bucket);
                    groupReply = round.countIn(groupCounter, counterTtl);
                }
                if (rpm.userLimit() != null) {
                    userCounter = RedisKeys.rpmUserBytes(user, bucket);
                    userReply = round.countIn(userCounter, counterTtl);
                }
            }
            round.send();
            view = read(r, kinds, entryKeys, round);
            group = Count.of(groupCounter, round, groupReply);
            userCount = Count.of(userCounter, round, userReply);
        } catch (JedisException e) {
            throw new BackendUnavailableException("Redis check failed: " + e.getMessage(), e);
        }
        if (!group.planned() && !userCount.planned()) {
            return view;
        }
        return counted(check, view, group, userCount);
    }

    /** The entries as the codecs read them (replies 0 .. E - 1 of the round), nothing counted. */
    private static CheckView read(CheckRequest r, List<CacheEntryKind> kinds, byte[][] entryKeys,
                                  CommandRound round) {
        CheckView.Builder found = CheckView.builder();
        ReplyHash reader = new ReplyHash();
        for (int e = 0; e < entryKeys.length; e++) {
            CacheEntryKind kind = kinds.get(e);
            List<byte[]> values;
            try {
                values = round.values(e);
            } catch (JedisDataException foreign) {
                // a key of another type: a miss, which the refill replaces (as the scripts read it)
                LOG.debug("cache entry {} is not a hash ({}); treating it as a miss", Replies.text(entryKeys[e]),
                        foreign.getMessage());
                found.miss(kind);
                continue;
            }
            ReplyHash over = reader.overValues(ReplyHash.fieldsOf(kind), values);
            boolean absent = over != null && absent(values);
            if (over == null) {
                found.miss(kind);
            } else if (!found.readFields(kind, r, absent ? null : over) && !absent && LOG.isDebugEnabled()) {
                LOG.debug("cache entry {} is of another schema version or corrupt; treating it as a miss",
                        Replies.text(entryKeys[e]));
            }
        }
        return found.build(false, 0, 0);
    }

    private static boolean absent(List<byte[]> values) {
        for (byte[] v : values) {
            if (v != null) {
                return false;
            }
        }
        return true;
    }

    /**
     * The view with its counts when the request is admitted by every other limit and every counter counted;
     * otherwise the counts taken back, and the view without them (doomed) or a failure (a counter refused).
     */
    private CheckView counted(CacheCheck check, CheckView view, Count group, Count user) {
        boolean doomed = check.doomedBy(view);
        if (!doomed && group.refused == null && user.refused == null) {
            return new CheckView(view.balance(), view.subscription(), view.platformQuota(), view.keyUsage(),
                    view.misses(), true, group.count, user.count, view.keyModelUsage());
        }
        if (doomed) {
            try {
                takeBack(group, user);
            } catch (BackendUnavailableException e) {
                // the answer stands; the counts stay until their minute ends, on the side of denying
                LOG.warn("could not take back the RPM counts of a doomed check of user {}: {}",
                        check.request().userId(), e.getMessage());
            }
            return view;
        }
        takeBack(group, user);
        Count refused = group.refused != null ? group : user;
        throw new BackendUnavailableException("Redis check failed: QUOTA_WRONGTYPE key " + Replies.text(refused.counter)
                + " cannot be counted (" + refused.refused.getMessage() + "); nothing was counted", refused.refused);
    }

    /** Decrements the counters this check counted ({@code uncount.lua}), in one round trip. */
    private void takeBack(Count group, Count user) {
        int n = (group.counted() ? 1 : 0) + (user.counted() ? 1 : 0);
        if (n == 0) {
            return;
        }
        Rawable[] counters = new Rawable[n];
        int i = 0;
        if (group.counted()) {
            counters[i++] = Arg.of(group.counter);
        }
        if (user.counted()) {
            counters[i] = Arg.of(user.counter);
        }
        uncount.runBinary(client, counters, new Rawable[0]);
    }

    /**
     * One planned counter: its key, and its count or why it was refused (no key when it was not planned).
     */
    private static final class Count {
        final byte[] counter;
        final long count;
        final JedisDataException refused;

        private Count(byte[] counter, long count, JedisDataException refused) {
            this.counter = counter;
            this.count = count;
            this.refused = refused;
        }

        /** Reads the {@code INCR}'s reply ({@code reply} -1: not planned); a connection failure is thrown. */
        static Count of(byte[] counter, CommandRound round, int reply) {
            if (reply < 0) {
                return new Count(null, 0, null);
            }
            try {
                return new Count(counter, round.count(reply), null);
            } catch (JedisDataException e) {
                return new Count(counter, 0, e);
            }
        }

        boolean planned() {
            return counter != null;
        }

        boolean counted() {
            return planned() && refused == null;
        }
    }
}
