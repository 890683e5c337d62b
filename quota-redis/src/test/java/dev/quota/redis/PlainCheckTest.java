package dev.quota.redis;

import static dev.quota.redis.Fixtures.GROUP;
import static dev.quota.redis.Fixtures.NOW;
import static dev.quota.redis.Fixtures.balanceRequest;
import static dev.quota.redis.Fixtures.check;
import static dev.quota.redis.Fixtures.rpm;
import static dev.quota.redis.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.CheckRequest;
import dev.quota.core.limit.QuotaWindows;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheEntry;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.spi.CheckView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.UnifiedJedis;

/**
 * A check runs no script ({@link PlainCheck}): it reads the entries and counts the RPM counters with plain
 * commands in one round trip, and takes the counts back when the request turns out doomed. What stays counted
 * must be what the scripts counted: only requests that every other limit admits, each counter created with its
 * TTL, and nothing written when a counter cannot be counted. Every case runs with and without client-side
 * pipelining (the two ways the commands go out).
 */
class PlainCheckTest extends OnEmbeddedRedis {

    private static final long TTL_MS = 120_000;

    private UnifiedJedis jedis;
    private RedisQuota quota;
    private RedisKeys keys;
    private ExecutorService pool;

    @BeforeEach
    void createClient() {
        jedis = redis.client();
        pool = Executors.newFixedThreadPool(8);
    }

    @AfterEach
    void stopPool() throws Exception {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private BillingCache cache(int pipelining) {
        quota = newQuota(RedisQuotaOptions.builder().pipelining(pipelining));
        keys = quota.keys();
        return quota.billingCache();
    }

    private String userCounter(long user) {
        return keys.rpmUser(user, QuotaWindows.RPM.bucketStart(NOW).toEpochMilli());
    }

    private String groupCounter(long user) {
        return keys.rpmGroup(user, GROUP, QuotaWindows.RPM.bucketStart(NOW).toEpochMilli());
    }

    private static CheckRequest request(long user) {
        return balanceRequest(user, null, null);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void anAdmittedCheckCountsBothCountersAndCreatesThemWithTheirTtl(int pipelining) {
        BillingCache cache = cache(pipelining);
        cache.put(CacheEntry.of(1, usd("10")));

        CheckView first = cache.check(check(request(1), rpm(100L, 100L)));
        CheckView second = cache.check(check(request(1), rpm(100L, 100L)));

        assertThat(first.rpmCounted()).isTrue();
        assertThat(first.groupRpmCount()).isEqualTo(1);
        assertThat(first.userRpmCount()).isEqualTo(1);
        assertThat(second.groupRpmCount()).isEqualTo(2);
        assertThat(second.userRpmCount()).isEqualTo(2);
        assertThat(jedis.get(userCounter(1))).isEqualTo("2");
        assertThat(jedis.pttl(userCounter(1))).isBetween(TTL_MS - 10_000, TTL_MS);
        assertThat(jedis.pttl(groupCounter(1))).isBetween(TTL_MS - 10_000, TTL_MS);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void aCheckDeniedByItsBalanceLeavesEveryCounterAsItWas(int pipelining) {
        BillingCache cache = cache(pipelining);
        cache.put(CacheEntry.of(2, usd("0")));
        jedis.psetex(userCounter(2), 50_000, "5");

        CheckView v = cache.check(check(request(2), rpm(100L, 100L)));

        assertThat(v.complete()).isTrue();
        assertThat(v.rpmCounted()).isFalse();
        assertThat(v.groupRpmCount()).isZero();
        assertThat(v.userRpmCount()).isZero();
        assertThat(jedis.get(userCounter(2))).isEqualTo("5");
        assertThat(jedis.pttl(userCounter(2))).isBetween(1L, 50_000L);
        // the counter this check created for its count is gone again, as if never counted
        assertThat(jedis.exists(groupCounter(2))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void aCheckThatMissesAnEntryCountsNothing(int pipelining) {
        BillingCache cache = cache(pipelining);

        CheckView v = cache.check(check(request(3), rpm(100L, 100L)));

        assertThat(v.misses()).containsExactly(CacheEntryKind.BALANCE);
        assertThat(v.rpmCounted()).isFalse();
        assertThat(jedis.exists(userCounter(3))).isFalse();
        assertThat(jedis.exists(groupCounter(3))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void anEntryKeyOfAnotherTypeIsAMissAndCountsNothing(int pipelining) {
        BillingCache cache = cache(pipelining);
        jedis.set(keys.balance(4), "not a hash");

        CheckView v = cache.check(check(request(4), rpm(null, 100L)));

        assertThat(v.misses()).containsExactly(CacheEntryKind.BALANCE);
        assertThat(v.rpmCounted()).isFalse();
        assertThat(jedis.get(keys.balance(4))).isEqualTo("not a hash");
        assertThat(jedis.exists(userCounter(4))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void aDoomedCheckThatMeetsACounterOfAnotherTypeAnswersAndChangesNothing(int pipelining) {
        BillingCache cache = cache(pipelining);
        cache.put(CacheEntry.of(5, usd("0")));
        jedis.sadd(userCounter(5), "x");

        CheckView v = cache.check(check(request(5), rpm(100L, 100L)));

        assertThat(v.rpmCounted()).isFalse();
        assertThat(jedis.type(userCounter(5))).isEqualTo("set");
        assertThat(jedis.pttl(userCounter(5))).isEqualTo(-1L);
        assertThat(jedis.exists(groupCounter(5))).isFalse();
    }

    /**
     * Eight threads check one funded and one broke user at once: every admitted check stays counted and no
     * doomed one does, however the counts and their taking back interleave.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void concurrentChecksKeepExactlyTheAdmittedCounts(int pipelining) throws Exception {
        BillingCache cache = cache(pipelining);
        cache.put(CacheEntry.of(6, usd("10")));
        cache.put(CacheEntry.of(7, usd("0")));
        int threads = 8;
        int perThread = 150;
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<Long>> admitted = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            admitted.add(pool.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                long n = 0;
                for (int i = 0; i < perThread; i++) {
                    n += cache.check(check(request(6), rpm(1_000_000L, 1_000_000L))).rpmCounted() ? 1 : 0;
                    n += cache.check(check(request(7), rpm(1_000_000L, 1_000_000L))).rpmCounted() ? 1 : 0;
                }
                return n;
            }));
        }
        long total = 0;
        for (Future<Long> f : admitted) {
            total += f.get(60, TimeUnit.SECONDS);
        }

        assertThat(total).isEqualTo((long) threads * perThread);
        assertThat(jedis.get(userCounter(6))).isEqualTo(Long.toString(total));
        assertThat(jedis.get(groupCounter(6))).isEqualTo(Long.toString(total));
        assertThat(jedis.get(userCounter(7))).isIn(null, "0");
        assertThat(jedis.get(groupCounter(7))).isIn(null, "0");
    }
    /**
     * A counter's {@code SET NX PX} and its {@code INCR} go out on one connection in that order, however many
     * pipelined connections take commands at once: were the {@code INCR} to run first (on another connection), it
     * would create the counter without a TTL, and it would live for ever.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 4})
    void everyCounterACheckCreatesHasItsTtlWhenManyChecksRunAtOnce(int pipelining) throws Exception {
        BillingCache cache = cache(pipelining);
        int threads = 8;
        int usersPerThread = 60;
        for (long user = 100; user < 100 + threads * usersPerThread; user++) {
            cache.put(CacheEntry.of(user, usd("10")));
        }
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long first = 100 + (long) t * usersPerThread;
            done.add(pool.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                for (long user = first; user < first + usersPerThread; user++) {
                    assertThat(cache.check(check(request(user), rpm(100L, 100L))).rpmCounted()).isTrue();
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }

        for (long user = 100; user < 100 + threads * usersPerThread; user++) {
            assertThat(jedis.get(userCounter(user))).as("user %d", user).isEqualTo("1");
            assertThat(jedis.pttl(userCounter(user))).as("user %d", user).isBetween(1L, TTL_MS);
            assertThat(jedis.pttl(groupCounter(user))).as("user %d", user).isBetween(1L, TTL_MS);
        }
    }
}
