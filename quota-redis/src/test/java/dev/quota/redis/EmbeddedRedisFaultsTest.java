package dev.quota.redis;

import dev.quota.core.spi.EntryRef;
import dev.quota.core.spi.CacheEntry;
import static dev.quota.redis.Fixtures.GROUP;
import static dev.quota.redis.Fixtures.KEY;
import static dev.quota.redis.Fixtures.NOW;
import static dev.quota.redis.Fixtures.PLATFORM;
import static dev.quota.redis.Fixtures.ZONE;
import static dev.quota.redis.Fixtures.balanceEvent;
import static dev.quota.redis.Fixtures.balanceRequest;
import static dev.quota.redis.Fixtures.check;
import static dev.quota.redis.Fixtures.keyLimits;
import static dev.quota.redis.Fixtures.periodLimits;
import static dev.quota.redis.Fixtures.platformQuota;
import static dev.quota.redis.Fixtures.rpm;
import static dev.quota.redis.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.limit.QuotaWindows;
import dev.quota.core.Money;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.spi.CheckView;
import dev.quota.core.spi.Hold;
import dev.quota.core.spi.ReserveView;
import dev.quota.core.window.WindowUsage;
import dev.quota.redis.support.EmbeddedRedis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Round trips and faults, on an embedded server each test owns (so it may reset statistics, flush the
 * script cache and restart the server): one {@code EVALSHA} per check and per record, a flushed script
 * cache invisible to callers, a restarted server reported as {@link BackendUnavailableException} while down.
 */
class EmbeddedRedisFaultsTest {

    private EmbeddedRedis server;
    private RedisQuota quota;
    private BillingCache cache;
    private RedisKeys keys;

    @BeforeEach
    void start() {
        server = EmbeddedRedis.start();
        quota = RedisQuota.create(server.client(), RedisQuotaOptions.builder().keyPrefix(server.newPrefix()).build());
        cache = quota.billingCache();
        keys = quota.keys();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    // ------------------------------------------------------------------ one round trip

    @Test
    void aFullCheckIsPlainReadsAndCountsAndNothingElse() {
        long user = 1;
        fillBalanceMode(user);
        warmUpScripts();
        CheckRequest req = balanceRequest(user, PLATFORM, keyLimits("10", "20", "30"));
        resetStats();

        CheckView v = cache.check(check(req, rpm(600L, 1000L)));

        assertThat(v.complete()).isTrue();
        assertThat(v.rpmCounted()).isTrue();
        // Every command the server ran, all sent in one pipeline: the reads of the three entries (HMGET of the
        // fields the codecs decode) and the two counters, each created with its TTL by SET NX PX and counted by
        // INCR (which refuses a key that cannot take it, unwritten). No script: an admitted check takes nothing
        // back. Any extra command (a script, a GET before the reads) would change these exact counts.
        assertThat(commandStats()).isEqualTo(Map.of(
                "hmget", 3L,
                "set", 2L,
                "incr", 2L));
    }

    @Test
    void recordingUsageIsExactlyOneEvalshaAndNothingElse() {
        long user = 2;
        fillBalanceMode(user);
        Map<String, Long> stats = statsOfOneRecord("r-1", user);

        // TYPE of the two outbox keys (all-or-nothing guard); SET NX of the marker; HSET + ZADD of the
        // outbox entry; reads (HMGET of the validated fields) of balance, platform quota and key usage; HINCRBY
        // of the balance; one HSET of the three live windows of the platform quota and one of the key usage;
        // TTL refresh of the three entries.
        assertThat(stats).isEqualTo(Map.of(
                "evalsha", 1L,
                "type", 2L,
                "set", 1L,
                "hset", 3L,
                "zadd", 1L,
                "hmget", 3L,
                "hincrby", 1L,
                "pexpire", 3L));
    }

    @Test
    void recordingUsageOnAbsentEntriesMarksThemDirtyInTheSameEvalsha() {
        long user = 8;
        Map<String, Long> stats = statsOfOneRecord("r-8", user);

        // the type guard; SET NX of the request marker and SET PX of the three dirty markers; the outbox
        // entry; reads (HMGET) of the three entries; nothing incremented, nothing created.
        assertThat(stats).isEqualTo(Map.of(
                "evalsha", 1L,
                "type", 2L,
                "set", 4L,
                "hset", 1L,
                "zadd", 1L,
                "hmget", 3L));
    }

    @Test
    void aReplayedRecordSetsNoMarker() {
        long user = 9;
        warmUpScripts();
        cache.applyUsage(balanceEvent("r-9", user, usd("0.5"), PLATFORM, KEY), NOW, ZONE);
        resetStats();

        boolean applied = cache.applyUsage(balanceEvent("r-9", user, usd("0.5"), PLATFORM, KEY), NOW, ZONE);

        assertThat(applied).isFalse();
        // the outbox type guard, the refused SET NX and the TYPE of the marker it met: no outbox entry
        assertThat(commandStats()).isEqualTo(Map.of(
                "evalsha", 1L,
                "type", 3L,
                "set", 1L));
    }

    @Test
    void aRefillIsExactlyOneEvalsha() {
        long user = 10;
        warmUpScripts();
        resetStats();

        assertThat(cache.put(CacheEntry.of(user, usd("1")))).isTrue();
        // EXISTS of the dirty marker, the read that validates what is cached, then the write with its TTL
        assertThat(commandStats()).isEqualTo(Map.of(
                "evalsha", 1L,
                "exists", 1L,
                "hgetall", 1L,
                "hset", 1L,
                "pexpire", 1L));

        resetStats();
        assertThat(cache.put(CacheEntry.of(user, usd("2")))).isFalse();
        assertThat(commandStats()).as("a valid entry is cached").isEqualTo(Map.of(
                "evalsha", 1L,
                "exists", 1L,
                "hgetall", 1L));

        server.client().set(keys.balance(user), "junk");
        resetStats();
        assertThat(cache.put(CacheEntry.of(user, usd("3")))).isTrue();
        assertThat(commandStats()).as("a key of another type is replaced").isEqualTo(Map.of(
                "evalsha", 1L,
                "exists", 1L,
                "hgetall", 1L,
                "del", 1L,
                "hset", 1L,
                "pexpire", 1L));
    }

    @Test
    void anEvictionIsExactlyOneEvalshaAndARefillOfADirtyEntryReadsOnlyTheMarker() {
        long user = 11;
        fillBalanceMode(user);
        warmUpScripts();
        resetStats();

        cache.evict(EntryRef.balance(user));
        assertThat(commandStats()).isEqualTo(Map.of(
                "evalsha", 1L,
                "del", 1L,
                "set", 1L));

        resetStats();
        assertThat(cache.put(CacheEntry.of(user, usd("10")))).isFalse();
        assertThat(commandStats()).isEqualTo(Map.of(
                "evalsha", 1L,
                "exists", 1L));
    }

    @Test
    void aReservationIsExactlyOneEvalsha() {
        long user = 3;
        fillBalanceMode(user);
        warmUpScripts();
        resetStats();

        ReserveView r = cache.reserve(check(balanceRequest(user, PLATFORM, keyLimits("10", null, null)), rpm(null, 1000L)),
                new Hold("h", usd("1"), NOW.plusSeconds(60)));

        assertThat(r.admitted()).isTrue();
        // the RPM counter's INCR is the first write (INCR refuses a key that cannot take it, unwritten)
        assertThat(commandStats()).containsEntry("evalsha", 1L).doesNotContainKeys("eval", "get", "hget",
                "multi", "exec");
        // HMGET reads the entries, HGETALL the holds hash
        assertThat(commandStats().keySet()).containsOnly("evalsha", "hmget", "hgetall", "hset",
                "pttl", "pexpire", "incr");
    }

    // ------------------------------------------------------------------ script cache flushed

    @Test
    void aFlushedScriptCacheNeverReachesTheCaller() {
        long user = 4;
        fillBalanceMode(user, usd("100"));
        CheckRequest req = balanceRequest(user, PLATFORM, keyLimits("1000", null, null));
        resetStats();

        for (int i = 0; i < 60; i++) {
            if (i % 3 == 0) {
                server.client().scriptFlush();
            }
            assertThat(cache.check(check(req, rpm(null, 1000L))).rpmCounted()).isTrue();
            assertThat(cache.applyUsage(balanceEvent("f-" + i, user, usd("0.1"), PLATFORM, KEY), NOW, ZONE)).isTrue();
            assertThat(cache.reserve(check(req, rpm(null, null)), new Hold("h-" + i, usd("0.01"), NOW.plusSeconds(60)))
                    .admitted()).isTrue();
            assertThat(quota.rpmCounter().increment(user, GROUP, QuotaWindows.RPM.bucketStart(NOW))).isEqualTo(i + 1);
        }

        Map<String, Long> stats = commandStats();
        CheckView v = cache.check(check(req, rpm(null, null)));
        assertThat(v.balance()).isEqualTo(usd("94"));
        assertThat(v.keyUsage().fiveHours().used()).isEqualTo(usd("6").nanos() + 1);
        assertThat(stats.get("eval")).as("each flush was answered by EVAL of the script that met NOSCRIPT")
                .isGreaterThanOrEqualTo(20L);
    }

    @Test
    void scriptFlushesRacingWithManyCallersNeverReachTheCallers() throws Exception {
        long user = 5;
        fillBalanceMode(user, usd("1000"));
        CheckRequest req = balanceRequest(user, PLATFORM, keyLimits("1000", null, null));
        int workers = 8;
        int perWorker = 40;
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger flushes = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(workers + 1);
        try {
            Future<?> flusher = pool.submit(() -> {
                go.await();
                while (running.get()) {
                    server.client().scriptFlush();
                    flushes.incrementAndGet();
                }
                return null;
            });
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int worker = w;
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perWorker; i++) {
                        cache.check(check(req, rpm(null, 100_000L)));
                        cache.applyUsage(balanceEvent("w" + worker + "-" + i, user, usd("0.01"), PLATFORM, KEY), NOW, ZONE);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
            running.set(false);
            flusher.get(30, TimeUnit.SECONDS);
        } finally {
            running.set(false);
            pool.shutdownNow();
        }

        assertThat(flushes.get()).isPositive();
        CheckView v = cache.check(check(req, rpm(null, 100_000L)));
        assertThat(v.balance()).isEqualTo(usd("1000").minus(usd("0.01").times(workers * perWorker)));
        assertThat(v.userRpmCount()).isEqualTo(workers * perWorker + 1);
    }

    // ------------------------------------------------------------------ server restart

    @Test
    void aRestartedServerFailsCallsWhileDownAndServesAgainAfterwards() {
        long user = 6;
        fillBalanceMode(user);
        CheckRequest req = balanceRequest(user, PLATFORM, keyLimits("10", null, null));
        assertThat(cache.check(check(req, rpm(null, 100L))).complete()).isTrue();

        server.stopServer();

        assertUnavailable(() -> cache.check(check(req, rpm(null, 100L))));
        assertUnavailable(() -> cache.applyUsage(balanceEvent("down", user, usd("1"), PLATFORM, KEY), NOW, ZONE));
        assertUnavailable(() -> cache.reserve(check(req, rpm(null, 100L)), new Hold("h", usd("1"), NOW.plusSeconds(9))));
        assertUnavailable(() -> cache.settle("h", balanceEvent("down", user, usd("1"), null, null), NOW, ZONE));
        assertUnavailable(() -> cache.release(user, "h"));
        assertUnavailable(() -> cache.put(CacheEntry.of(user, usd("5"))));
        assertUnavailable(() -> cache.evict(EntryRef.balance(user)));
        assertUnavailable(() -> quota.rpmCounter().increment(user, null, QuotaWindows.RPM.bucketStart(NOW)));

        server.restart();

        // The restarted server is empty (nothing persisted, no scripts cached): misses, which the service
        // refills from the store.
        CheckView after = cache.check(check(req, rpm(null, 100L)));
        assertThat(after.misses()).containsExactlyInAnyOrder(CacheEntryKind.BALANCE, CacheEntryKind.PLATFORM_QUOTA,
                CacheEntryKind.KEY_USAGE);
        fillBalanceMode(user);
        CheckView refilled = cache.check(check(req, rpm(null, 100L)));
        assertThat(refilled.complete()).isTrue();
        assertThat(refilled.userRpmCount()).isEqualTo(1);
        assertThat(cache.applyUsage(balanceEvent("up", user, usd("1"), PLATFORM, KEY), NOW, ZONE)).isTrue();
        assertThat(cache.check(check(req, rpm(null, null))).balance()).isEqualTo(usd("9"));
    }

    @Test
    void aServerErrorOtherThanNoscriptIsReportedAsBackendUnavailable() {
        long user = 7;
        fillBalanceMode(user);
        long bucket = QuotaWindows.RPM.bucketStart(NOW).toEpochMilli();
        server.client().set(keys.rpmUser(user, bucket), "not-a-number");

        assertThatThrownBy(() -> cache.check(check(balanceRequest(user, PLATFORM, null), rpm(null, 10L))))
                .isInstanceOf(BackendUnavailableException.class)
                .hasCauseInstanceOf(JedisDataException.class)
                .hasMessageContaining("QUOTA_WRONGTYPE");
        assertThat(server.client().get(keys.rpmUser(user, bucket))).isEqualTo("not-a-number");
        assertThatThrownBy(() -> quota.rpmCounter().increment(user, null, QuotaWindows.RPM.bucketStart(NOW)))
                .isInstanceOf(BackendUnavailableException.class)
                .hasCauseInstanceOf(JedisDataException.class);
    }

    // ------------------------------------------------------------------ helpers

    private void assertUnavailable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOf(BackendUnavailableException.class)
                .hasCauseInstanceOf(JedisConnectionException.class);
    }

    private void fillBalanceMode(long user) {
        fillBalanceMode(user, usd("10"));
    }

    private void fillBalanceMode(long user, Money balance) {
        assertThat(cache.put(CacheEntry.of(user, balance))).isTrue();
        cache.put(CacheEntry.of(platformQuota(user, periodLimits("100", "200", "300"),
                new WindowUsage(1, NOW), new WindowUsage(1, NOW), new WindowUsage(1, NOW))));
        cache.put(CacheEntry.of(new KeyUsage(user, KEY, new WindowUsage(1, NOW), new WindowUsage(1, NOW),
                new WindowUsage(1, NOW))));
    }

    /** Loads every script into the server's cache (the first call of each answers NOSCRIPT, then EVAL). */
    private void warmUpScripts() {
        long other = 999;
        cache.put(CacheEntry.of(other, usd("1")));
        cache.check(check(balanceRequest(other, null, null), rpm(null, null)));
        cache.reserve(check(balanceRequest(other, null, null), rpm(null, null)), new Hold("warm-up", usd("0.5"),
                NOW.plusSeconds(60)));
        cache.applyUsage(balanceEvent("warm-up", other, usd("0"), null, null), NOW, ZONE);
        cache.evict(EntryRef.balance(other));
        quota.rpmCounter().increment(other, null, QuotaWindows.RPM.bucketStart(NOW));
    }

    private void resetStats() {
        server.client().sendCommand(redis.clients.jedis.Protocol.Command.CONFIG, "RESETSTAT");
    }

    /** Calls per command since the last reset, without the test's own CONFIG and INFO. */
    private Map<String, Long> commandStats() {
        Map<String, Long> calls = new HashMap<>();
        for (String line : server.client().info("commandstats").split("\r?\n")) {
            if (!line.startsWith("cmdstat_")) {
                continue;
            }
            String name = line.substring("cmdstat_".length(), line.indexOf(':'));
            if (name.startsWith("config") || name.startsWith("info")) {
                continue;
            }
            String stats = line.substring(line.indexOf(':') + 1);
            for (String part : stats.split(",")) {
                if (part.startsWith("calls=")) {
                    calls.put(name, Long.parseLong(part.substring("calls=".length())));
                }
            }
        }
        return calls;
    }

    /** Records one balance-mode event of 0.50 on warm scripts and returns the commands it ran (asserting it applied). */
    private Map<String, Long> statsOfOneRecord(String requestId, long user) {
        warmUpScripts();
        resetStats();
        assertThat(cache.applyUsage(balanceEvent(requestId, user, usd("0.5"), PLATFORM, KEY), NOW, ZONE)).isTrue();
        return commandStats();
    }
}
