package dev.quota.redis;

import static dev.quota.redis.Replies.text;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.spi.UsageOutbox;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageKey;
import dev.quota.redis.ScriptLayouts.OutboxAckArg;
import dev.quota.redis.ScriptLayouts.OutboxClaimArg;
import dev.quota.redis.ScriptLayouts.OutboxKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.args.Rawable;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.Tuple;

/**
 * {@link UsageOutbox} on Redis. Each shard ({@link RedisKeys}) has an outbox of two keys in its hash-tag slot:
 * a hash {@code <userId>:<requestId>} → encoded event ({@link UsageEventCodec}) and a sorted set of the same
 * members scored in epoch ms. {@code apply.lua} appends to both in the call that newly sets the request's
 * idempotency marker, scored at the caller's {@code now}. Entries are keyed by {@link UsageKey} rather than
 * kept in a Redis Stream: the gate acknowledges by the key it already has once the store committed the event,
 * with no stream id to carry from the append to the commit, and an acknowledgement is idempotent.
 *
 * <ul>
 *   <li>{@link #acknowledge}: per shard, one script call ({@code HDEL} + {@code ZREM}) per batch of up to
 *       {@value #BATCH} keys;</li>
 *   <li>{@link #claimStale}: reads the oldest members scored before {@code olderThan} of every shard, picks the
 *       oldest {@code max} overall, and claims them per shard with one script call that re-scores each
 *       member still stale to {@code now + lease} and returns its payload (a member whose payload is gone is
 *       removed). Members another drainer claimed in between are skipped and the read repeated, so a claim
 *       returns fewer than {@code max} only when no more stale entries were left. An entry whose payload
 *       cannot be decoded is logged with its payload at ERROR and deleted;</li>
 *   <li>{@link #size}: the sum of the shards' hash lengths.</li>
 * </ul>
 * Thread-safe.
 */
final class RedisUsageOutbox implements UsageOutbox {

    private static final Logger LOG = LoggerFactory.getLogger(RedisUsageOutbox.class);
    /** The most members one acknowledgement script call carries. */
    static final int BATCH = 500;
    /** Rounds of read-then-claim before a claim gives up on members other drainers keep taking. */
    private static final int MAX_ROUNDS = 16;

    private final ScriptClient client;
    private final UnifiedJedis jedis;
    private final RedisKeys keys;
    private final LuaScript ackScript;
    private final LuaScript claimScript;

    RedisUsageOutbox(ScriptClient client, RedisKeys keys, Scripts scripts) {
        this.client = client;
        this.jedis = client.jedis();
        this.keys = keys;
        this.ackScript = scripts.outboxAck();
        this.claimScript = scripts.outboxClaim();
    }

    @Override
    public void acknowledge(Collection<UsageKey> usageKeys) {
        Objects.requireNonNull(usageKeys, "keys");
        // members grouped by shard (a counting sort), shards in ascending order, each in the order given
        List<UsageKey> all = List.copyOf(usageKeys);
        int[] shardOf = new int[all.size()];
        int[] from = new int[keys.shards() + 1];
        for (int i = 0; i < shardOf.length; i++) {
            shardOf[i] = keys.shard(all.get(i).userId());
            from[shardOf[i] + 1]++;
        }
        for (int shard = 0; shard < keys.shards(); shard++) {
            from[shard + 1] += from[shard];
        }
        byte[][] members = new byte[shardOf.length][];
        int[] next = Arrays.copyOf(from, keys.shards());
        for (int i = 0; i < shardOf.length; i++) {
            UsageKey k = all.get(i);
            members[next[shardOf[i]]++] = RedisKeys.outboxMemberBytes(k.userId(), k.requestId());
        }
        List<byte[]> ordered = Arrays.asList(members);
        for (int shard = 0; shard < keys.shards(); shard++) {
            if (from[shard + 1] > from[shard]) {
                deleteMembers(shard, ordered.subList(from[shard], from[shard + 1]));
            }
        }
    }

    /** Members go out as the bytes {@code apply.lua} was given, built once (no {@code String} in between). */
    private void deleteMembers(int shard, List<byte[]> members) {
        Rawable[] k = outboxKeys(shard);
        for (int from = 0; from < members.size(); from += BATCH) {
            int to = Math.min(members.size(), from + BATCH);
            SlotLayout.Values<OutboxAckArg> a = ScriptLayouts.OUTBOX_ACK_ARGS.values(to - from);
            for (int i = from; i < to; i++) {
                a.add(members.get(i));
            }
            ackScript.runBinary(client, k, a.toArray());
        }
    }

    /** The keys of the outbox scripts: the shard's hash and sorted set. */
    private Rawable[] outboxKeys(int shard) {
        return ScriptLayouts.OUTBOX_KEYS.values().set(OutboxKey.PAYLOADS, keys.outboxBytes(shard))
                .set(OutboxKey.DUE, keys.outboxDueBytes(shard)).toArray();
    }

    @Override
    public List<UsageEvent> claimStale(Instant olderThan, Instant now, Duration lease, int max) {
        Objects.requireNonNull(olderThan, "olderThan");
        Objects.requireNonNull(now, "now");
        if (lease == null || lease.toMillis() < 1) {
            throw new IllegalArgumentException("lease must be at least 1 ms: " + lease);
        }
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive: " + max);
        }
        String before = Long.toString(olderThan.toEpochMilli());
        String leaseEnd = Long.toString(now.plus(lease).toEpochMilli());
        List<Claimed> claimed = new ArrayList<>();
        for (int round = 0; round < MAX_ROUNDS && claimed.size() < max; round++) {
            int wanted = max - claimed.size();
            List<Candidate> candidates = oldest(before, wanted);
            if (candidates.isEmpty()) {
                break;
            }
            Map<Integer, List<String>> picked = new TreeMap<>();
            for (Candidate c : candidates) {
                picked.computeIfAbsent(c.shard(), s -> new ArrayList<>()).add(c.member());
            }
            picked.forEach((shard, members) -> claimed.addAll(claim(shard, before, leaseEnd, members)));
        }
        claimed.sort(Comparator.comparingDouble(Claimed::score).thenComparing(Claimed::member));
        List<UsageEvent> events = new ArrayList<>(claimed.size());
        for (Claimed c : claimed) {
            try {
                events.add(UsageEventCodec.decode(c.payload()));
            } catch (IllegalArgumentException e) {
                LOG.error("outbox entry {} of shard {} cannot be decoded and is deleted ({}); payload: {}",
                        c.member(), c.shard(), e.getMessage(), c.payload());
                deleteMembers(c.shard(), List.of(c.member().getBytes(StandardCharsets.UTF_8)));
            }
        }
        return List.copyOf(events);
    }

    /**
     * The oldest {@code wanted} members scored before {@code before} over all shards. Uses ZRANGEBYSCORE
     * (deprecated in Jedis in favour of ZRANGE BYSCORE) because it also runs on servers older than Redis 6.2.
     */
    @SuppressWarnings("deprecation")
    private List<Candidate> oldest(String before, int wanted) {
        List<Candidate> all = new ArrayList<>();
        for (int shard = 0; shard < keys.shards(); shard++) {
            String due = keys.outboxDue(shard);
            List<Tuple> tuples;
            try {
                tuples = jedis.zrangeByScoreWithScores(due, "-inf", "(" + before, 0, wanted);
            } catch (JedisException e) {
                throw new BackendUnavailableException("Redis ZRANGEBYSCORE " + due + " failed: " + e.getMessage(), e);
            }
            for (Tuple t : tuples) {
                all.add(new Candidate(shard, t.getElement(), t.getScore()));
            }
        }
        all.sort(Comparator.comparingDouble(Candidate::score).thenComparing(Candidate::member));
        return all.size() > wanted ? all.subList(0, wanted) : all;
    }

    private List<Claimed> claim(int shard, String before, String leaseEnd, List<String> members) {
        SlotLayout.Values<OutboxClaimArg> a = ScriptLayouts.OUTBOX_CLAIM_ARGS.values(members.size())
                .set(OutboxClaimArg.THRESHOLD, Ascii.utf8(before))
                .set(OutboxClaimArg.LEASE_END, Ascii.utf8(leaseEnd));
        for (String member : members) {
            a.add(Ascii.utf8(member));
        }
        Object reply = claimScript.runBinary(client, outboxKeys(shard), a.toArray());
        if (!(reply instanceof List<?> list) || list.size() % 3 != 0) {
            throw new BackendUnavailableException("unexpected reply from Redis script " + claimScript.name()
                    + ": " + reply);
        }
        List<Claimed> out = new ArrayList<>(list.size() / 3);
        for (int i = 0; i < list.size(); i += 3) {
            String score = text(list.get(i + 2));
            try {
                out.add(new Claimed(shard, text(list.get(i)), text(list.get(i + 1)), Double.parseDouble(score)));
            } catch (NumberFormatException e) {
                throw new BackendUnavailableException("unexpected score in Redis reply: " + score);
            }
        }
        return out;
    }

    @Override
    public long size() {
        long total = 0;
        for (int shard = 0; shard < keys.shards(); shard++) {
            String key = keys.outbox(shard);
            try {
                total += jedis.hlen(key);
            } catch (JedisException e) {
                throw new BackendUnavailableException("Redis HLEN " + key + " failed: " + e.getMessage(), e);
            }
        }
        return total;
    }

    /** A member read as stale. */
    private record Candidate(int shard, String member, double score) {
    }

    /** A member claimed, with its payload and its score before the claim. */
    private record Claimed(int shard, String member, String payload, double score) {
    }
}
