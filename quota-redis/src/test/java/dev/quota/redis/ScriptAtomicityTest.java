package dev.quota.redis;

import dev.quota.core.spi.EntryRef;
import dev.quota.core.spi.CacheEntry;
import static dev.quota.redis.Fixtures.GROUP;
import static dev.quota.redis.Fixtures.NOW;
import static dev.quota.redis.Fixtures.ZONE;
import static dev.quota.redis.Fixtures.balanceEvent;
import static dev.quota.redis.Fixtures.balanceRequest;
import static dev.quota.redis.Fixtures.check;
import static dev.quota.redis.Fixtures.rpm;
import static dev.quota.redis.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.limit.QuotaWindows;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.Hold;
import dev.quota.core.spi.RpmCounter;
import dev.quota.core.UsageEvent;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * Every script is all-or-nothing: a key of the wrong type among those it writes fails the call before its first
 * write, so nothing is half done (and a caller's fallback does not count twice).
 */
class ScriptAtomicityTest extends OnEmbeddedRedis {

    private UnifiedJedis jedis;
    private RedisQuota quota;
    private BillingCache cache;
    private RedisKeys keys;

    @BeforeEach
    void createAdapter() {
        jedis = redis.client();
        quota = newQuota(RedisQuotaOptions.builder());
        cache = quota.billingCache();
        keys = quota.keys();
    }

    private long bucket() {
        return QuotaWindows.RPM.bucketStart(NOW).toEpochMilli();
    }

    @Test
    void aCheckThatMeetsAWrongTypeUserRpmKeyLeavesTheGroupCounterUnchanged() {
        long user = 11;
        cache.put(CacheEntry.of(user, usd("10")));
        jedis.hset(keys.rpmUser(user, bucket()), "not", "a counter");

        assertThatThrownBy(() -> cache.check(check(balanceRequest(user, null, null), rpm(100L, 100L))))
                .isInstanceOf(BackendUnavailableException.class);

        assertThat(jedis.exists(keys.rpmGroup(user, GROUP, bucket()))).isFalse();
        assertThat(jedis.type(keys.rpmUser(user, bucket()))).isEqualTo("hash");
    }

    @Test
    void aCheckThatMeetsAUserRpmCounterThatCannotBeIncrementedLeavesTheGroupCounterUnchanged() {
        long user = 12;
        cache.put(CacheEntry.of(user, usd("10")));
        jedis.set(keys.rpmGroup(user, GROUP, bucket()), "3");
        jedis.set(keys.rpmUser(user, bucket()), "9223372036854775807");

        assertThatThrownBy(() -> cache.check(check(balanceRequest(user, null, null), rpm(100L, 100L))))
                .isInstanceOf(BackendUnavailableException.class);

        assertThat(jedis.get(keys.rpmGroup(user, GROUP, bucket()))).isEqualTo("3");
    }

    @Test
    void aReservationThatMeetsAWrongTypeRpmKeyTakesNoHoldAndPurgesNothing() {
        long user = 13;
        fundWithALapsedHold(user);
        jedis.lpush(keys.rpmGroup(user, GROUP, bucket()), "x");

        assertThatThrownBy(() -> reserveCountingBothRpmCounters(user)).isInstanceOf(BackendUnavailableException.class);

        assertThat(jedis.hkeys(keys.holds(user))).containsExactly("old");
        assertThat(jedis.exists(keys.rpmUser(user, bucket()))).isFalse();
    }

    @Test
    void aReservationThatMeetsAWrongTypeUserRpmKeyUndoesTheGroupCountKeepsItsTtlAndPurgesNothing() {
        long user = 17;
        fundWithALapsedHold(user);
        jedis.psetex(keys.rpmGroup(user, GROUP, bucket()), 50_000, "3");
        jedis.sadd(keys.rpmUser(user, bucket()), "x");

        assertThatThrownBy(() -> reserveCountingBothRpmCounters(user)).isInstanceOf(BackendUnavailableException.class);

        assertThat(jedis.get(keys.rpmGroup(user, GROUP, bucket()))).isEqualTo("3");
        assertThat(jedis.pttl(keys.rpmGroup(user, GROUP, bucket()))).isBetween(1L, 50_000L);
        assertThat(jedis.hkeys(keys.holds(user))).containsExactly("old");
    }

    /** A balance of 10 and a hold "old" that lapsed a second ago (a reservation purges it unless it fails). */
    private void fundWithALapsedHold(long user) {
        cache.put(CacheEntry.of(user, usd("10")));
        Hold lapsed = new Hold("old", usd("1"), NOW.minusSeconds(1));
        jedis.hset(keys.holds(user), "old", "{\"x\":\"" + lapsed.expiresAt().toEpochMilli() + "\",\"e\":\"1\",\"s\":[]}");
    }

    private void reserveCountingBothRpmCounters(long user) {
        cache.reserve(check(balanceRequest(user, null, null), rpm(100L, 100L)),
                new Hold("h1", usd("1"), NOW.plus(Duration.ofMinutes(5))));
    }

    @Test
    void theRpmCounterRefusesAWrongTypeKeyWithoutChangingIt() {
        long user = 14;
        RpmCounter counter = quota.rpmCounter();
        jedis.set(keys.rpmUser(user, bucket()), "not a number");

        assertThatThrownBy(() -> counter.increment(user, null, QuotaWindows.RPM.bucketStart(NOW)))
                .isInstanceOf(BackendUnavailableException.class);

        assertThat(jedis.get(keys.rpmUser(user, bucket()))).isEqualTo("not a number");
    }

    @Test
    void aRecordThatMeetsAWrongTypeOutboxKeyWritesNothing() {
        long user = 15;
        cache.put(CacheEntry.of(user, usd("10")));
        jedis.set(keys.outboxDue(keys.shard(user)), "not a sorted set");
        UsageEvent e = balanceEvent("r1", user, usd("1"), null, null);

        assertThatThrownBy(() -> cache.applyUsage(e, NOW, ZONE)).isInstanceOf(BackendUnavailableException.class);

        assertThat(jedis.exists(keys.done(user, "r1"))).isFalse();
        assertThat(jedis.exists(keys.outbox(keys.shard(user)))).isFalse();
        assertThat(jedis.hget(keys.balance(user), "balance")).isEqualTo(Long.toString(usd("10").nanos()));
    }

    @Test
    void aRecordThatMeetsAWrongTypeMarkerWritesNothingInsteadOfTakingItForAReplay() {
        long user = 16;
        cache.put(CacheEntry.of(user, usd("10")));
        jedis.hset(keys.done(user, "r1"), Map.of("a", "b"));

        assertThatThrownBy(() -> cache.applyUsage(balanceEvent("r1", user, usd("1"), null, null), NOW, ZONE))
                .isInstanceOf(BackendUnavailableException.class);

        assertThat(jedis.hget(keys.balance(user), "balance")).isEqualTo(Long.toString(usd("10").nanos()));
        assertThat(quota.usageOutbox().size()).isZero();
    }

    @Test
    void aSettleThatMeetsAWrongTypeSettledMarkerKeepsTheHold() {
        long user = 17;
        cache.put(CacheEntry.of(user, usd("10")));
        assertThat(cache.reserve(check(balanceRequest(user, null, null), rpm(null, null)),
                new Hold("h1", usd("1"), NOW.plus(Duration.ofMinutes(5)))).admitted()).isTrue();
        jedis.lpush(keys.settled(user, "h1"), "x");

        assertThatThrownBy(() -> cache.settle("h1", balanceEvent("r1", user, usd("1"), null, null), NOW, ZONE))
                .isInstanceOf(BackendUnavailableException.class);

        assertThat(jedis.hkeys(keys.holds(user))).containsExactly("h1");
        assertThat(jedis.exists(keys.done(user, "r1"))).isFalse();
    }

    @Test
    void aRefillAndAnEvictionReplaceAWrongTypeKey() {
        long user = 18;
        jedis.lpush(keys.balance(user), "x");
        jedis.lpush(keys.dirty(keys.keyUsage(user, 9)), "x");

        assertThat(cache.put(CacheEntry.of(user, usd("2")))).isTrue();
        cache.evict(EntryRef.keyUsage(user, 9));

        assertThat(jedis.hget(keys.balance(user), "balance")).isEqualTo(Long.toString(usd("2").nanos()));
        assertThat(jedis.type(keys.dirty(keys.keyUsage(user, 9)))).isEqualTo("string");
    }
}
