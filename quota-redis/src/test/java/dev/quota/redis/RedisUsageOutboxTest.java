package dev.quota.redis;

import static dev.quota.redis.Fixtures.NOW;
import static dev.quota.redis.Fixtures.ZONE;
import static dev.quota.redis.Fixtures.balanceEvent;
import static dev.quota.redis.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.spi.CacheEntry;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.UsageOutbox;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** What the outbox contract cannot see from outside: shards, the option, corrupt and orphaned entries. */
class RedisUsageOutboxTest extends OnEmbeddedRedis {

    private static final Duration LEASE = Duration.ofSeconds(30);

    @Test
    void eachUsersEntryLivesInItsShardsOutbox() {
        RedisQuota quota = newQuota(RedisQuotaOptions.builder().shards(4));
        UnifiedJedis jedis = redis.client();
        for (long user = 1; user <= 8; user++) {
            quota.billingCache().applyUsage(balanceEvent("r", user, usd("1"), null, null), NOW, ZONE);
        }

        for (int shard = 0; shard < 4; shard++) {
            assertThat(jedis.hkeys(quota.keys().outbox(shard))).hasSize(2);
            assertThat(jedis.zcard(quota.keys().outboxDue(shard))).isEqualTo(2);
        }
        assertThat(jedis.hkeys(quota.keys().outbox(1))).containsExactlyInAnyOrder("1:r", "5:r");
        assertThat(jedis.zscore(quota.keys().outboxDue(1), "5:r")).isEqualTo((double) NOW.toEpochMilli());
        assertThat(quota.usageOutbox().size()).isEqualTo(8);
    }

    @Test
    void claimsTakeTheOldestOverAllShards() {
        RedisQuota quota = newQuota(RedisQuotaOptions.builder());
        List<UsageEvent> events = new ArrayList<>();
        // users in different shards, applied at increasing instants in an order unrelated to the shard number
        long[] users = {7, 3, 12, 1, 9, 15};
        for (int i = 0; i < users.length; i++) {
            UsageEvent e = balanceEvent("r" + i, users[i], usd("1"), null, null);
            events.add(e);
            quota.billingCache().applyUsage(e, NOW.plusMillis(i), ZONE);
        }
        Instant later = NOW.plusSeconds(1);

        assertThat(quota.usageOutbox().claimStale(later, later, LEASE, 4)).containsExactlyElementsOf(events.subList(0, 4));
        assertThat(quota.usageOutbox().claimStale(later, later, LEASE, 4)).containsExactlyElementsOf(events.subList(4, 6));
    }

    @Test
    void withTheOutboxOffNothingIsAppended() {
        RedisQuota quota = newQuota(RedisQuotaOptions.builder().outbox(false));
        BillingCache cache = quota.billingCache();
        cache.put(CacheEntry.of(5, usd("10")));

        assertThat(cache.applyUsage(balanceEvent("r1", 5, usd("1"), null, null), NOW, ZONE)).isTrue();
        assertThat(cache.applyUsage(balanceEvent("r1", 5, usd("1"), null, null), NOW, ZONE)).isFalse();

        assertThat(quota.usageOutbox().size()).isZero();
        assertThat(redis.client().hget(quota.keys().balance(5), "balance")).isEqualTo(Long.toString(usd("9").nanos()));
    }

    @Test
    void anUndecodableEntryIsDeletedAndTheOthersAreClaimed() {
        RedisQuota quota = newQuota(RedisQuotaOptions.builder());
        UnifiedJedis jedis = redis.client();
        UsageEvent good = balanceEvent("good", 5, usd("1"), null, null);
        quota.billingCache().applyUsage(good, NOW, ZONE);
        int shard = quota.keys().shard(5);
        jedis.hset(quota.keys().outbox(shard), "5:bad", "u1garbage");
        jedis.zadd(quota.keys().outboxDue(shard), NOW.toEpochMilli() - 1, "5:bad");
        Instant later = NOW.plusSeconds(1);

        assertThat(quota.usageOutbox().claimStale(later, later, LEASE, 10)).containsExactly(good);

        assertThat(jedis.hexists(quota.keys().outbox(shard), "5:bad")).isFalse();
        assertThat(jedis.zscore(quota.keys().outboxDue(shard), "5:bad")).isNull();
        assertThat(quota.usageOutbox().size()).isEqualTo(1);
    }

    @Test
    void aMemberWhosePayloadIsGoneIsRemovedWhenClaimed() {
        RedisQuota quota = newQuota(RedisQuotaOptions.builder());
        UnifiedJedis jedis = redis.client();
        int shard = quota.keys().shard(5);
        jedis.zadd(quota.keys().outboxDue(shard), NOW.toEpochMilli(), "5:orphan");
        Instant later = NOW.plusSeconds(1);

        assertThat(quota.usageOutbox().claimStale(later, later, LEASE, 10)).isEmpty();

        assertThat(jedis.zcard(quota.keys().outboxDue(shard))).isZero();
    }

    @Test
    void acknowledgementsLargerThanOneBatchDeleteEveryEntry() {
        RedisQuota quota = newQuota(RedisQuotaOptions.builder().shards(2));
        UsageOutbox outbox = quota.usageOutbox();
        List<UsageKey> acked = new ArrayList<>();
        int count = 2 * RedisUsageOutbox.BATCH + 37;
        for (int i = 0; i < count; i++) {
            UsageEvent e = balanceEvent("r" + i, 1 + (i % 3), usd("0.001"), null, null);
            quota.billingCache().applyUsage(e, NOW, ZONE);
            acked.add(UsageKey.of(e));
        }
        UsageEvent kept = balanceEvent("kept", 2, usd("1"), null, null);
        quota.billingCache().applyUsage(kept, NOW, ZONE);

        outbox.acknowledge(acked);

        assertThat(outbox.size()).isEqualTo(1);
        assertThat(outbox.claimStale(NOW.plusMillis(1), NOW, LEASE, 10)).containsExactly(kept);
    }
}
