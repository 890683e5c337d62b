package dev.quota.redis;

import dev.quota.core.spi.EntryRef;
import dev.quota.core.spi.CacheEntry;
import static dev.quota.redis.Fixtures.GROUP;
import static dev.quota.redis.Fixtures.KEY;
import static dev.quota.redis.Fixtures.MODEL;
import static dev.quota.redis.Fixtures.NOW;
import static dev.quota.redis.Fixtures.PLATFORM;
import static dev.quota.redis.Fixtures.ZONE;
import static dev.quota.redis.Fixtures.activeSubscription;
import static dev.quota.redis.Fixtures.balanceEvent;
import static dev.quota.redis.Fixtures.balanceRequest;
import static dev.quota.redis.Fixtures.check;
import static dev.quota.redis.Fixtures.keyLimits;
import static dev.quota.redis.Fixtures.keyUsage;
import static dev.quota.redis.Fixtures.periodLimits;
import static dev.quota.redis.Fixtures.platformQuota;
import static dev.quota.redis.Fixtures.rpm;
import static dev.quota.redis.Fixtures.subscription;
import static dev.quota.redis.Fixtures.subscriptionEvent;
import static dev.quota.redis.Fixtures.subscriptionRequest;
import static dev.quota.redis.Fixtures.usd;
import static dev.quota.redis.Fixtures.used;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.cache.BalanceEntry;
import dev.quota.core.cache.KeyModelUsageEntry;
import dev.quota.core.cache.KeyUsageEntry;
import dev.quota.core.cache.PlatformQuotaEntry;
import dev.quota.core.cache.SubscriptionEntry;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.EligibilityEvaluator;
import dev.quota.core.limit.Holds;
import dev.quota.core.KeyLimits;
import dev.quota.core.limit.KeyModelUsage;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.limit.KeyWindow;
import dev.quota.core.Limit;
import dev.quota.core.limit.Period;
import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.limit.QuotaWindows;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.limit.SubscriptionStatus;
import dev.quota.core.Money;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.spi.CheckView;
import dev.quota.core.spi.Hold;
import dev.quota.core.spi.ReserveView;
import dev.quota.core.spi.RpmCounter;
import dev.quota.core.window.Window;
import dev.quota.core.window.WindowUsage;
import dev.quota.redis.support.RedisTarget;
import dev.quota.testkit.Threads;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.UnifiedJedis;

/**
 * Behaviour of the Redis adapter that every Redis target (embedded, the machine's server, a cluster) must
 * show: one script per operation mirroring the evaluator, exact money, misses for foreign or corrupt
 * entries, idempotent recording, refills that never overwrite a valid entry and are blocked by dirty
 * markers, reservations that never over-admit, and exact sums under concurrency.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RedisAdapterBehaviour {

    private static final long TWO_POW_53 = 1L << 53;
    private static final int THREADS = 32;

    /** @return the target, opened once per test class; opening fails when a configured server is down */
    protected abstract RedisTarget openTarget();

    private RedisTarget target;
    RedisQuota quota;
    BillingCache cache;
    RpmCounter rpmCounter;
    RedisKeys keys;
    UnifiedJedis redis;

    @BeforeAll
    void openRedis() {
        target = openTarget();
        redis = target.client();
    }

    @AfterAll
    void closeRedis() throws Exception {
        if (target != null) {
            target.close();
        }
    }

    @BeforeEach
    void newAdapter() {
        quota = RedisQuota.create(redis, RedisQuotaOptions.builder()
                .keyPrefix(target.newPrefix())
                .random(new Random(7))
                .build());
        cache = quota.billingCache();
        rpmCounter = quota.rpmCounter();
        keys = quota.keys();
    }

    // ------------------------------------------------------------------ check

    @Test
    void checkOfAbsentEntriesReportsEveryNeededEntryAsMissAndCountsNothing() {
        CheckRequest req = balanceRequest(1, PLATFORM, keyLimits("5", null, null));

        CheckView v = cache.check(check(req, rpm(10L, 100L)));

        assertThat(v.misses()).containsExactlyInAnyOrder(CacheEntryKind.BALANCE, CacheEntryKind.PLATFORM_QUOTA,
                CacheEntryKind.KEY_USAGE);
        assertThat(v.rpmCounted()).isFalse();
        assertThat(v.groupRpmCount()).isZero();
        assertThat(v.userRpmCount()).isZero();
        long bucket = QuotaWindows.RPM.bucketStart(NOW).toEpochMilli();
        assertThat(redis.exists(keys.rpmUser(1, bucket))).isFalse();
        assertThat(redis.exists(keys.rpmGroup(1, GROUP, bucket))).isFalse();
    }

    @Test
    void checkReturnsTheCachedEntriesAndCountsRpmWhenNothingDenies() {
        long user = 2;
        PlatformQuotaRecord pq = platformQuota(user, periodLimits("10", null, "100"),
                used("1.5", NOW.minusSeconds(60)), used("2.5", NOW.minusSeconds(60)), WindowUsage.EMPTY);
        KeyUsage ku = keyUsage(user, used("0.25", NOW.minusSeconds(5)), WindowUsage.EMPTY, WindowUsage.EMPTY);
        cache.put(CacheEntry.of(user, usd("12.345678901")));
        cache.put(CacheEntry.of(pq));
        cache.put(CacheEntry.of(ku));
        CheckRequest req = balanceRequest(user, PLATFORM, keyLimits("5", "20", null));

        CheckView first = cache.check(check(req, rpm(10L, 100L)));
        CheckView second = cache.check(check(req, rpm(10L, 100L)));

        assertThat(first.complete()).isTrue();
        assertThat(first.balance()).isEqualTo(usd("12.345678901"));
        assertThat(first.platformQuota()).isEqualTo(pq);
        assertThat(first.keyUsage()).isEqualTo(ku);
        assertThat(first.subscription()).isNull();
        assertThat(first.rpmCounted()).isTrue();
        assertThat(first.groupRpmCount()).isEqualTo(1);
        assertThat(first.userRpmCount()).isEqualTo(1);
        assertThat(second.groupRpmCount()).isEqualTo(2);
        assertThat(second.userRpmCount()).isEqualTo(2);
        long bucket = QuotaWindows.RPM.bucketStart(NOW).toEpochMilli();
        assertThat(redis.pttl(keys.rpmUser(user, bucket)))
                .isPositive().isLessThanOrEqualTo(quota.options().rpmCounterTtl().toMillis());
        assertThat(redis.pttl(keys.rpmGroup(user, GROUP, bucket)))
                .isPositive().isLessThanOrEqualTo(quota.options().rpmCounterTtl().toMillis());
    }

    @Test
    void checkInSubscriptionModeReadsTheSubscriptionAndNotTheBalance() {
        long user = 3;
        SubscriptionState sub = subscription(user, SubscriptionStatus.ACTIVE, NOW.plusSeconds(3600),
                used("1", NOW.minusSeconds(10)), used("2", NOW.minusSeconds(10)), used("3", NOW.minusSeconds(10)));
        cache.put(CacheEntry.of(sub));
        CheckRequest req = subscriptionRequest(user, periodLimits("5", "50", "500"), null);

        CheckView v = cache.check(check(req, rpm(null, 100L)));

        assertThat(v.complete()).isTrue();
        assertThat(v.subscription()).isEqualTo(sub);
        assertThat(v.balance()).isNull();
        assertThat(v.rpmCounted()).isTrue();
        assertThat(v.groupRpmCount()).isZero();
        assertThat(v.userRpmCount()).isEqualTo(1);
    }

    @Test
    void checkCountsNothingWhenTheBalanceIsNotPositive() {
        CheckRequest zero = balanceRequest(4, null, null);
        CheckRequest negative = balanceRequest(5, null, null);
        cache.put(CacheEntry.of(4, Money.ZERO));
        cache.put(CacheEntry.of(5, Money.ofNanos(-1)));

        CheckView z = cache.check(check(zero, rpm(null, 100L)));
        CheckView n = cache.check(check(negative, rpm(null, 100L)));

        assertThat(z.complete()).isTrue();
        assertThat(z.rpmCounted()).isFalse();
        assertThat(n.balance()).isEqualTo(Money.ofNanos(-1));
        assertThat(n.rpmCounted()).isFalse();
    }

    @Test
    void everyPlannedCounterIsCountedAndTheCapsAreLeftToTheCaller() {
        long user = 6;
        cache.put(CacheEntry.of(user, usd("1")));
        CheckRequest req = balanceRequest(user, null, null);

        CheckView first = cache.check(check(req, rpm(1L, 100L)));
        CheckView second = cache.check(check(req, rpm(1L, 100L)));

        assertThat(first.groupRpmCount()).isEqualTo(1);
        assertThat(first.userRpmCount()).isEqualTo(1);
        assertThat(second.rpmCounted()).isTrue();
        assertThat(second.groupRpmCount()).as("above the group cap of 1: the service denies").isEqualTo(2);
        assertThat(second.userRpmCount()).isEqualTo(2);
        assertThat(rpmCounter.increment(user, null, QuotaWindows.RPM.bucketStart(NOW))).isEqualTo(3);
    }

    @Test
    void theScriptCountsRpmExactlyWhenEvaluateBillingAllowsOnRandomStates() {
        Random rnd = new Random(20260310);
        EligibilityEvaluator evaluator = EligibilityEvaluator.inZone(ZONE);
        int allowed = 0;
        int denied = 0;
        for (int i = 0; i < 500; i++) {
            long user = 10_000 + i;
            CheckRequest req = randomState(rnd, user);
            CheckView v = cache.check(check(req, rpm(null, 1_000_000L)));
            assertThat(v.complete()).as("iteration %d", i).isTrue();
            boolean expected = evaluator.evaluateBilling(req, v.toState(), NOW).allowed();
            assertThat(v.rpmCounted()).as("iteration %d: %s with %s", i, req, v).isEqualTo(expected);
            assertThat(v.userRpmCount()).isEqualTo(expected ? 1 : 0);
            if (expected) {
                allowed++;
            } else {
                denied++;
            }
        }
        assertThat(allowed).isGreaterThan(50);
        assertThat(denied).isGreaterThan(50);
    }

    @Test
    void theScriptAdmitsHoldsExactlyWhenEvaluateHoldAllowsOnRandomStates() {
        Random rnd = new Random(424242);
        EligibilityEvaluator evaluator = EligibilityEvaluator.inZone(ZONE);
        int admitted = 0;
        int refused = 0;
        for (int i = 0; i < 400; i++) {
            long user = 20_000 + i;
            CheckRequest req = randomState(rnd, user);
            // other holds of the user: some live, some expired; same scopes as this request
            long liveHeld = 0;
            for (int h = 0; h < rnd.nextInt(3); h++) {
                long estimate = pick(rnd, 0L, 300_000_000L, 1_000_000_000L);
                boolean live = rnd.nextBoolean();
                Instant expires = live ? NOW.plusSeconds(30) : NOW.minusMillis(rnd.nextInt(2));
                ReserveView other = cache.reserve(check(req, rpm(null, null), NOW.minusSeconds(120)),
                        new Hold("other-" + h, Money.ofNanos(estimate), expires));
                if (other.admitted() && live) {
                    liveHeld += estimate;
                }
            }
            long estimate = pick(rnd, 0L, 1L, 500_000_000L, 1_000_000_000L);
            ReserveView r = cache.reserve(check(req, rpm(null, 1_000_000L)),
                    new Hold("h-" + i, Money.ofNanos(estimate), NOW.plusSeconds(60)));
            assertThat(r.view().complete()).isTrue();
            Holds held = r.heldBefore();
            long heldInScope = req.subscriptionMode() ? held.subscription() : held.balance();
            // an unlimited subscription holds nothing in the subscription scope (Holds.holdsSubscription)
            long expectedHeld = req.subscriptionMode() && !Holds.holdsSubscription(req) ? 0 : liveHeld;
            assertThat(heldInScope).as("iteration %d", i).isEqualTo(expectedHeld);
            boolean expected = evaluator.evaluateHold(req, r.view().toState(), held, estimate, NOW).allowed();
            assertThat(r.admitted()).as("iteration %d: %s with %s held %s", i, req, r.view(), held).isEqualTo(expected);
            assertThat(r.view().rpmCounted()).isEqualTo(expected);
            if (expected) {
                admitted++;
            } else {
                refused++;
            }
        }
        assertThat(admitted).isGreaterThan(40);
        assertThat(refused).isGreaterThan(40);
    }

    /** Caches a random but valid state for {@code user} and returns a request over it. */
    private CheckRequest randomState(Random rnd, long user) {
        boolean subMode = rnd.nextInt(3) == 0;
        KeyLimits kl = rnd.nextInt(4) == 0 ? null : new KeyLimits(randomLimit(rnd), randomLimit(rnd), randomLimit(rnd));
        // the key's tokens per minute: a cap of its own (random), checked only when the key has limits
        Limit tpm = kl == null ? Limit.unlimited() : randomLimit(rnd);
        // the key's spend cap on a model: its own entry and lines, held in the model scope
        KeyLimits mc = kl == null || rnd.nextInt(3) == 0 ? null
                : new KeyLimits(randomLimit(rnd), randomLimit(rnd), randomLimit(rnd));
        CheckRequest req;
        if (subMode) {
            req = subscriptionRequest(user, new PeriodLimits(randomLimit(rnd), randomLimit(rnd), randomLimit(rnd)), kl,
                    tpm, mc);
            SubscriptionStatus status = rnd.nextInt(5) == 0 ? SubscriptionStatus.SUSPENDED : SubscriptionStatus.ACTIVE;
            Instant expires = NOW.plusMillis(pick(rnd, -1L, 0L, 1L, 86_400_000L));
            cache.put(CacheEntry.of(subscription(user, status, expires,
                    randomWindow(rnd, QuotaWindows.subscription(Period.DAILY)),
                    randomWindow(rnd, QuotaWindows.subscription(Period.WEEKLY)),
                    randomWindow(rnd, QuotaWindows.subscription(Period.MONTHLY)))));
        } else {
            boolean withPlatform = rnd.nextInt(4) != 0;
            req = balanceRequest(user, withPlatform ? PLATFORM : null, kl, tpm, mc);
            cache.put(CacheEntry.of(user, Money.ofNanos(pick(rnd, -1L, 0L, 1L, 1_500_000_000L, 5_000_000_000L, TWO_POW_53 + 1))));
            if (withPlatform) {
                cache.put(CacheEntry.of(platformQuota(user,
                        new PeriodLimits(randomLimit(rnd), randomLimit(rnd), randomLimit(rnd)),
                        randomWindow(rnd, QuotaWindows.platform(Period.DAILY)),
                        randomWindow(rnd, QuotaWindows.platform(Period.WEEKLY)),
                        randomWindow(rnd, QuotaWindows.platform(Period.MONTHLY)))));
            }
        }
        if (kl != null) {
            cache.put(CacheEntry.of(new KeyUsage(user, KEY, randomWindow(rnd, KeyWindow.FIVE_HOURS.window()),
                    randomWindow(rnd, KeyWindow.ONE_DAY.window()), randomWindow(rnd, KeyWindow.SEVEN_DAYS.window()),
                    randomWindow(rnd, QuotaWindows.TPM))));
        }
        if (mc != null) {
            cache.put(CacheEntry.of(new KeyModelUsage(user, KEY, MODEL, randomWindow(rnd, KeyWindow.FIVE_HOURS.window()),
                    randomWindow(rnd, KeyWindow.ONE_DAY.window()), randomWindow(rnd, KeyWindow.SEVEN_DAYS.window()))));
        }
        return req;
    }

    private static Limit randomLimit(Random rnd) {
        return switch (rnd.nextInt(8)) {
            case 0 -> Limit.disabled();
            case 1 -> Limit.of(1_000_000_000L);
            case 2 -> Limit.of(1_000_000_001L);
            case 3 -> Limit.of(2_000_000_000L);
            case 4 -> Limit.of(Long.MAX_VALUE);
            default -> Limit.unlimited();
        };
    }

    private static WindowUsage randomWindow(Random rnd, Window window) {
        long threshold = window.expiredBeforeMillis(NOW, ZONE);
        Instant start = switch (rnd.nextInt(4)) {
            case 0 -> null;
            case 1 -> Instant.ofEpochMilli(threshold - 1);
            case 2 -> Instant.ofEpochMilli(threshold);
            default -> NOW;
        };
        return new WindowUsage(pick(rnd, 0L, 999_999_999L, 1_000_000_000L, 1_000_000_001L), start);
    }

    private static long pick(Random rnd, long... values) {
        return values[rnd.nextInt(values.length)];
    }

    // ------------------------------------------------------------------ applyUsage

    @Test
    void applyUsageDeductsTheBalanceAndAddsToPlatformAndKeyWindows() {
        long user = 30;
        Instant live = NOW.minusSeconds(60);
        cache.put(CacheEntry.of(user, usd("10")));
        cache.put(CacheEntry.of(platformQuota(user, periodLimits("5", null, null),
                used("1", live), used("2", live), used("3", live))));
        cache.put(CacheEntry.of(keyUsage(user, used("0.5", live), used("0.5", live), used("0.5", live))));

        boolean applied = cache.applyUsage(balanceEvent("r-1", user, usd("0.25"), PLATFORM, KEY), NOW, ZONE);

        assertThat(applied).isTrue();
        CheckView v = cache.check(check(balanceRequest(user, PLATFORM, keyLimits("9", null, null)), rpm(null, null)));
        assertThat(v.balance()).isEqualTo(usd("9.75"));
        assertThat(v.platformQuota().daily()).isEqualTo(used("1.25", live));
        assertThat(v.platformQuota().weekly()).isEqualTo(used("2.25", live));
        assertThat(v.platformQuota().monthly()).isEqualTo(used("3.25", live));
        assertThat(v.keyUsage()).isEqualTo(keyUsage(user, used("0.75", live), used("0.75", live), used("0.75", live)));
    }

    @Test
    void applyUsageIsIdempotentByRequestId() {
        long user = 31;
        cache.put(CacheEntry.of(user, usd("10")));

        boolean first = cache.applyUsage(balanceEvent("dup", user, usd("1"), null, null), NOW, ZONE);
        boolean replay = cache.applyUsage(balanceEvent("dup", user, usd("1"), null, null), NOW.plusSeconds(5), ZONE);

        assertThat(first).isTrue();
        assertThat(replay).isFalse();
        assertThat(balance(user)).isEqualTo(usd("9"));
        assertThat(redis.pttl(keys.done(user, "dup")))
                .isPositive().isLessThanOrEqualTo(quota.options().idempotencyTtl().toMillis());
    }

    @Test
    void applyUsageInSubscriptionModeAddsToTheSubscriptionAndLeavesTheBalance() {
        long user = 32;
        Instant live = NOW.minusSeconds(60);
        cache.put(CacheEntry.of(user, usd("10")));
        cache.put(CacheEntry.of(subscription(user, SubscriptionStatus.ACTIVE, NOW.plusSeconds(3600),
                used("1", live), used("1", live), used("1", live))));

        assertThat(cache.applyUsage(subscriptionEvent("s-1", user, usd("0.5"), null), NOW, ZONE)).isTrue();

        SubscriptionState sub = cache.check(check(subscriptionRequest(user, PeriodLimits.UNLIMITED, null), rpm(null, null)))
                .subscription();
        assertThat(sub.daily()).isEqualTo(used("1.5", live));
        assertThat(sub.weekly()).isEqualTo(used("1.5", live));
        assertThat(sub.monthly()).isEqualTo(used("1.5", live));
        assertThat(balance(user)).isEqualTo(usd("10"));
    }

    @Test
    void applyUsageResetsExpiredWindowsToTheCostWithTheNewStartAndKeepsLiveOnes() {
        long user = 33;
        Instant yesterday = NOW.minus(Duration.ofDays(1));
        Instant sixHoursAgo = NOW.minus(Duration.ofHours(6));
        cache.put(CacheEntry.of(user, usd("10")));
        cache.put(CacheEntry.of(platformQuota(user, PeriodLimits.UNLIMITED,
                used("4", yesterday), used("4", yesterday), WindowUsage.EMPTY)));
        cache.put(CacheEntry.of(keyUsage(user, used("2", sixHoursAgo), used("2", sixHoursAgo), used("2", sixHoursAgo))));

        cache.applyUsage(balanceEvent("r-33", user, usd("0.1"), PLATFORM, KEY), NOW, ZONE);

        CheckView v = cache.check(check(balanceRequest(user, PLATFORM, keyLimits("9", null, null)), rpm(null, null)));
        Instant berlinMidnight = Instant.parse("2026-03-09T23:00:00Z");
        assertThat(v.platformQuota().daily()).isEqualTo(used("0.1", berlinMidnight));
        assertThat(v.platformQuota().weekly()).isEqualTo(used("4.1", yesterday));
        assertThat(v.platformQuota().monthly()).isEqualTo(used("0.1", NOW));
        assertThat(v.keyUsage().fiveHours()).isEqualTo(used("0.1", NOW));
        assertThat(v.keyUsage().oneDay()).isEqualTo(used("2.1", sixHoursAgo));
        assertThat(v.keyUsage().sevenDays()).isEqualTo(used("2.1", sixHoursAgo));
    }

    @Test
    void applyUsageTouchesOnlyEntriesThatExist() {
        long user = 34;

        boolean applied = cache.applyUsage(balanceEvent("r-34", user, usd("1"), PLATFORM, KEY), NOW, ZONE);

        assertThat(applied).isTrue();
        assertThat(redis.exists(keys.balance(user))).isFalse();
        assertThat(redis.exists(keys.platformQuota(user, PLATFORM))).isFalse();
        assertThat(redis.exists(keys.keyUsage(user, KEY))).isFalse();
        assertThat(redis.exists(keys.done(user, "r-34"))).isTrue();
        assertDirty(keys.balance(user));
        assertDirty(keys.platformQuota(user, PLATFORM));
        assertDirty(keys.keyUsage(user, KEY));
    }

    @Test
    void applyUsageRefreshesEntryTtlsAndJitterOnlyShortensThem() {
        long user = 35;
        cache.put(CacheEntry.of(user, usd("10")));
        cache.put(CacheEntry.of(KeyUsage.empty(user, KEY)));
        redis.pexpire(keys.balance(user), 1000);

        cache.applyUsage(balanceEvent("r-35", user, usd("1"), null, KEY), NOW, ZONE);

        RedisQuotaOptions o = quota.options();
        long ttl = o.entryTtl().toMillis();
        assertThat(redis.pttl(keys.balance(user)))
                .isGreaterThan(ttl - o.entryTtlJitter().toMillis() - 5_000).isLessThanOrEqualTo(ttl);
        assertThat(redis.pttl(keys.keyUsage(user, KEY))).isLessThanOrEqualTo(o.keyUsageTtl().toMillis())
                .isGreaterThan(o.keyUsageTtl().toMillis() - 60_000);
    }

    @Test
    void aZeroCostStillStartsExpiredWindows() {
        long user = 36;
        cache.put(CacheEntry.of(KeyUsage.empty(user, KEY)));

        assertThat(cache.applyUsage(balanceEvent("r-36", user, Money.ZERO, null, KEY), NOW, ZONE)).isTrue();

        KeyUsage ku = cache.check(check(balanceRequest(user, null, keyLimits("1", null, null)), rpm(null, null))).keyUsage();
        assertThat(ku).isEqualTo(keyUsage(user, new WindowUsage(0, NOW), new WindowUsage(0, NOW), new WindowUsage(0, NOW)));
    }

    // ------------------------------------------------------------------ exactness

    @Test
    void aBalanceAbove2Pow53DeductedByOneNanoStaysExact() {
        long user = 40;
        long start = TWO_POW_53 + 1;   // 9007199254740993: not representable as a double
        cache.put(CacheEntry.of(user, Money.ofNanos(start)));

        cache.applyUsage(balanceEvent("r-40", user, Money.ofNanos(1), null, null), NOW, ZONE);

        assertThat(balance(user).nanos()).isEqualTo(start - 1);
        assertThat(redis.hget(keys.balance(user), "balance")).isEqualTo("9007199254740992");
        cache.applyUsage(balanceEvent("r-40b", user, Money.ofNanos(1), null, null), NOW, ZONE);
        assertThat(redis.hget(keys.balance(user), "balance")).isEqualTo("9007199254740991");
    }

    @Test
    void thousandIncrementsOfTenCentsSumToExactlyOneHundredDollars() {
        long user = 41;
        cache.put(CacheEntry.of(user, usd("1000")));
        cache.put(CacheEntry.of(platformQuota(user, PeriodLimits.UNLIMITED, WindowUsage.EMPTY, WindowUsage.EMPTY,
                WindowUsage.EMPTY)));
        cache.put(CacheEntry.of(KeyUsage.empty(user, KEY)));

        for (int i = 0; i < 1000; i++) {
            cache.applyUsage(balanceEvent("dime-" + i, user, usd("0.1"), PLATFORM, KEY), NOW, ZONE);
        }

        CheckView v = cache.check(check(balanceRequest(user, PLATFORM, keyLimits("1000", null, null)), rpm(null, null)));
        assertThat(v.balance()).isEqualTo(usd("900"));
        assertThat(v.platformQuota().daily().used()).isEqualTo(usd("100").nanos());
        assertThat(v.keyUsage().sevenDays().used()).isEqualTo(100_000_000_000L);
        assertThat(redis.hget(keys.keyUsage(user, KEY), "usage_5h")).isEqualTo("100000000000");
    }

    @Test
    void comparisonsNearTheTopOfTheLongRangeAreExact() {
        // doubles cannot tell MAX-1 from MAX; the script compares decimal strings
        long user = 42;
        long max = Long.MAX_VALUE;
        cache.put(CacheEntry.of(user, Money.ofNanos(max)));
        cache.put(CacheEntry.of(keyUsage(user, new WindowUsage(max - 1, NOW), WindowUsage.EMPTY, WindowUsage.EMPTY)));

        CheckView below = cache.check(check(balanceRequest(user, null,
                new KeyLimits(Limit.of(max), Limit.unlimited(), Limit.unlimited())), rpm(null, 100L)));
        CheckView at = cache.check(check(balanceRequest(user, null,
                new KeyLimits(Limit.of(max - 1), Limit.unlimited(), Limit.unlimited())), rpm(null, 100L)));

        assertThat(below.rpmCounted()).isTrue();
        assertThat(at.rpmCounted()).isFalse();
        assertThat(below.keyUsage().fiveHours().used()).isEqualTo(max - 1);
    }

    @Test
    void anIncrementThatWouldOverflowLeavesTheEntryUnchanged() {
        long user = 43;
        long max = Long.MAX_VALUE;
        cache.put(CacheEntry.of(keyUsage(user, new WindowUsage(max - 1, NOW), WindowUsage.EMPTY, WindowUsage.EMPTY)));

        assertThat(cache.applyUsage(balanceEvent("r-43", user, Money.ofNanos(2), null, KEY), NOW, ZONE)).isTrue();

        assertThat(redis.hget(keys.keyUsage(user, KEY), "usage_5h")).isEqualTo(Long.toString(max - 1));
        assertThat(redis.hget(keys.keyUsage(user, KEY), "usage_1d")).isEqualTo("0");
    }

    // ------------------------------------------------------------------ foreign and corrupt entries

    static Stream<Arguments> corruptions() {
        return Stream.of(
                Arguments.of(CacheEntryKind.BALANCE, "sv", "2"),
                Arguments.of(CacheEntryKind.BALANCE, "sv", null),
                Arguments.of(CacheEntryKind.BALANCE, "balance", "12.5"),
                Arguments.of(CacheEntryKind.BALANCE, "balance", "1e9"),
                Arguments.of(CacheEntryKind.BALANCE, "balance", ""),
                Arguments.of(CacheEntryKind.BALANCE, "balance", "0012"),
                Arguments.of(CacheEntryKind.BALANCE, "balance", "+12"),
                Arguments.of(CacheEntryKind.BALANCE, "balance", "9223372036854775808"),
                Arguments.of(CacheEntryKind.BALANCE, "balance", null),
                Arguments.of(CacheEntryKind.PLATFORM_QUOTA, "sv", "0"),
                Arguments.of(CacheEntryKind.PLATFORM_QUOTA, "daily_usage", "-1"),
                Arguments.of(CacheEntryKind.PLATFORM_QUOTA, "daily_usage", "0.5"),
                Arguments.of(CacheEntryKind.PLATFORM_QUOTA, "weekly_window_start", "yesterday"),
                Arguments.of(CacheEntryKind.PLATFORM_QUOTA, "monthly_window_start", null),
                Arguments.of(CacheEntryKind.PLATFORM_QUOTA, "daily_limit", "-5"),
                Arguments.of(CacheEntryKind.PLATFORM_QUOTA, "weekly_limit", "ten"),
                Arguments.of(CacheEntryKind.PLATFORM_QUOTA, "monthly_limit", null),
                Arguments.of(CacheEntryKind.KEY_USAGE, "sv", "v1"),
                Arguments.of(CacheEntryKind.KEY_USAGE, "usage_5h", "NaN"),
                Arguments.of(CacheEntryKind.KEY_USAGE, "window_1d", "1.7e12"),
                Arguments.of(CacheEntryKind.KEY_USAGE, "usage_7d", null),
                Arguments.of(CacheEntryKind.SUBSCRIPTION, "sv", "99"),
                Arguments.of(CacheEntryKind.SUBSCRIPTION, "status", "active"),
                Arguments.of(CacheEntryKind.SUBSCRIPTION, "status", ""),
                Arguments.of(CacheEntryKind.SUBSCRIPTION, "expires_at", "never"),
                Arguments.of(CacheEntryKind.SUBSCRIPTION, "daily_usage", "1,5"),
                Arguments.of(CacheEntryKind.SUBSCRIPTION, "weekly_start", null));
    }

    @ParameterizedTest(name = "{0}.{1} = {2}")
    @MethodSource("corruptions")
    void aForeignOrCorruptEntryIsAMissAndIsNeverIncremented(CacheEntryKind kind, String field, String value) {
        long user = 50;
        Instant live = NOW.minusSeconds(60);
        boolean subMode = kind == CacheEntryKind.SUBSCRIPTION;
        if (subMode) {
            cache.put(CacheEntry.of(subscription(user, SubscriptionStatus.ACTIVE, NOW.plusSeconds(3600),
                    used("1", live), used("1", live), used("1", live))));
        } else {
            cache.put(CacheEntry.of(user, usd("10")));
            cache.put(CacheEntry.of(platformQuota(user, periodLimits("100", "100", "100"),
                    used("1", live), used("1", live), used("1", live))));
        }
        cache.put(CacheEntry.of(keyUsage(user, used("1", live), used("1", live), used("1", live))));
        String key = switch (kind) {
            case BALANCE -> keys.balance(user);
            case SUBSCRIPTION -> keys.subscription(user, GROUP);
            case PLATFORM_QUOTA -> keys.platformQuota(user, PLATFORM);
            case KEY_USAGE -> keys.keyUsage(user, KEY);
            case KEY_MODEL_USAGE -> keys.keyModelUsage(user, KEY, MODEL);
        };
        if (value == null) {
            redis.hdel(key, field);
        } else {
            redis.hset(key, field, value);
        }
        Map<String, String> before = redis.hgetAll(key);
        CheckRequest req = subMode
                ? subscriptionRequest(user, PeriodLimits.UNLIMITED, keyLimits("100", null, null))
                : balanceRequest(user, PLATFORM, keyLimits("100", null, null));

        CheckView v = cache.check(check(req, rpm(null, 100L)));
        boolean applied = cache.applyUsage(subMode
                ? subscriptionEvent("r-50", user, usd("1"), KEY)
                : balanceEvent("r-50", user, usd("1"), PLATFORM, KEY), NOW, ZONE);

        assertThat(v.misses()).containsExactly(kind);
        assertThat(v.rpmCounted()).isFalse();
        assertThat(applied).isTrue();
        assertThat(redis.hgetAll(key)).isEqualTo(before);
        assertDirty(key);
        List<String> others = new ArrayList<>(List.of(keys.keyUsage(user, KEY)));
        if (!subMode) {
            others.add(keys.balance(user));
            others.add(keys.platformQuota(user, PLATFORM));
        }
        others.remove(key);
        assertThat(others).as("valid entries are incremented, not marked")
                .allSatisfy(k -> assertThat(redis.exists(keys.dirty(k))).as(k).isFalse());
    }

    @Test
    void aKeyOfAnotherTypeIsAMissAndTheRefillReplacesIt() {
        long user = 51;
        redis.set(keys.balance(user), "100");   // e.g. a balance stored as a plain string by an older layout
        redis.rpush(keys.holds(user), "junk");
        CheckRequest req = balanceRequest(user, null, null);

        CheckView v = cache.check(check(req, rpm(null, 100L)));
        ReserveView r = cache.reserve(check(req, rpm(null, null)), new Hold("h", usd("1"), NOW.plusSeconds(9)));
        boolean applied = cache.applyUsage(balanceEvent("r-51", user, usd("1"), null, null), NOW, ZONE);
        boolean refilledWhileDirty = cache.put(CacheEntry.of(user, usd("8")));
        redis.del(keys.dirty(keys.balance(user)));   // the marker expired
        boolean refilled = cache.put(CacheEntry.of(user, usd("7")));

        assertThat(v.misses()).containsExactly(CacheEntryKind.BALANCE);
        assertThat(v.rpmCounted()).isFalse();
        assertThat(r.admitted()).isFalse();
        assertThat(applied).isTrue();
        assertThat(refilledWhileDirty).as("usage met the foreign key: dirty").isFalse();
        assertThat(refilled).isTrue();
        assertThat(balance(user)).isEqualTo(usd("7"));
        assertThat(cache.reserve(check(req, rpm(null, null)), new Hold("h", usd("1"), NOW.plusSeconds(9))).admitted())
                .isTrue();
    }

    // ------------------------------------------------------------------ refills, evictions and dirty markers

    @Test
    void aRefillReplacesACorruptEntryWithAJitteredTtlThatNeverExceedsTheTtl() {
        long user = 60;
        String key = keys.balance(user);
        redis.hset(key, "stale", "x");
        RedisQuotaOptions o = quota.options();

        assertThat(cache.put(CacheEntry.of(user, usd("3")))).isTrue();

        assertThat(redis.hgetAll(key)).isEqualTo(Map.of("sv", "1", "balance", "3000000000"));
        for (int i = 0; i < 20; i++) {
            redis.del(key);
            assertThat(cache.put(CacheEntry.of(user, usd("3")))).isTrue();
            assertThat(redis.pttl(key)).isLessThanOrEqualTo(o.entryTtl().toMillis())
                    .isGreaterThan(o.entryTtl().minus(o.entryTtlJitter()).toMillis() - 5_000);
        }
    }

    @Test
    void aRefillNeverOverwritesAValidEntry() {
        long user = 62;
        Instant live = NOW.minusSeconds(60);
        assertThat(cache.put(CacheEntry.of(user, usd("10")))).isTrue();
        assertThat(cache.put(CacheEntry.of(activeSubscription(user)))).isTrue();
        assertThat(cache.put(CacheEntry.of(PlatformQuotaRecord.empty(user, PLATFORM).withLimits(PeriodLimits.UNLIMITED))))
                .isTrue();
        assertThat(cache.put(CacheEntry.of(KeyUsage.empty(user, KEY)))).isTrue();
        cache.applyUsage(balanceEvent("r-62", user, usd("1"), PLATFORM, KEY), NOW, ZONE);
        Map<String, Map<String, String>> before = rawEntries(user);
        redis.pexpire(keys.balance(user), 60_000);

        boolean balance = cache.put(CacheEntry.of(user, usd("10")));
        boolean subscription = cache.put(CacheEntry.of(subscription(user, SubscriptionStatus.SUSPENDED, NOW,
                used("5", live), used("5", live), used("5", live))));
        boolean platform = cache.put(CacheEntry.of(platformQuota(user, periodLimits("1", "1", "1"),
                used("5", live), used("5", live), used("5", live))));
        boolean key = cache.put(CacheEntry.of(keyUsage(user, used("5", live), used("5", live), used("5", live))));

        assertThat(List.of(balance, subscription, platform, key)).containsOnly(false);
        assertThat(rawEntries(user)).isEqualTo(before);
        assertThat(balance(user)).as("the increment survives the stale refill").isEqualTo(usd("9"));
        assertThat(redis.pttl(keys.balance(user))).as("a refused refill leaves the TTL alone").isLessThanOrEqualTo(60_000);
        assertThat(redis.exists(keys.dirty(keys.balance(user)))).isFalse();
    }

    static Stream<Arguments> replaceableEntries() {
        return Stream.of(CacheEntryKind.values()).flatMap(kind -> Stream.of(
                Arguments.of(kind, "another schema version"),
                Arguments.of(kind, "corrupt"),
                Arguments.of(kind, "a key of another type")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("replaceableEntries")
    void aRefillReplacesAForeignVersionACorruptEntryOrAKeyOfAnotherType(CacheEntryKind kind, String what) {
        long user = 63;
        String key = entryKey(kind, user);
        switch (what) {
            case "another schema version" -> {
                refill(kind, user);
                redis.hset(key, "sv", "99");
            }
            case "corrupt" -> {
                refill(kind, user);
                redis.hset(key, switch (kind) {
                    case BALANCE -> "balance";
                    case SUBSCRIPTION, PLATFORM_QUOTA -> "daily_usage";
                    case KEY_USAGE, KEY_MODEL_USAGE -> "usage_5h";
                }, "1.5");
            }
            default -> redis.rpush(key, "junk");
        }

        boolean written = refill(kind, user);

        assertThat(written).isTrue();
        assertThat(redis.type(key)).isEqualTo("hash");
        assertThat(redis.hgetAll(key)).isEqualTo(expectedHash(kind, user));
        assertThat(redis.pttl(key)).isPositive();
        assertThat(refill(kind, user)).as("now valid: the next refill is refused").isFalse();
    }

    @Test
    void usageThatMeetsAnAbsentEntryMarksItDirtyAndBlocksItsRefillUntilTheMarkerIsGone() {
        // The demo's race: a check misses and loads 10 from the store; usage of 1 meets the entry absent;
        // the refill of the stale 10 must not land.
        long user = 64;
        CheckRequest req = balanceRequest(user, PLATFORM, keyLimits("100", null, null));
        assertThat(cache.check(check(req, rpm(null, null))).misses()).contains(CacheEntryKind.BALANCE);

        assertThat(cache.applyUsage(balanceEvent("r-64", user, usd("1"), PLATFORM, KEY), NOW, ZONE)).isTrue();

        for (CacheEntryKind kind : List.of(CacheEntryKind.BALANCE, CacheEntryKind.PLATFORM_QUOTA, CacheEntryKind.KEY_USAGE)) {
            assertDirty(entryKey(kind, user));
            assertThat(refill(kind, user)).as("%s refill while dirty", kind).isFalse();
            assertThat(redis.exists(entryKey(kind, user))).isFalse();
        }
        assertThat(redis.exists(keys.dirty(keys.subscription(user, GROUP)))).as("not a target").isFalse();
        assertThat(cache.check(check(req, rpm(null, null))).misses())
                .containsExactlyInAnyOrder(CacheEntryKind.BALANCE, CacheEntryKind.PLATFORM_QUOTA, CacheEntryKind.KEY_USAGE);

        for (CacheEntryKind kind : List.of(CacheEntryKind.BALANCE, CacheEntryKind.PLATFORM_QUOTA, CacheEntryKind.KEY_USAGE)) {
            redis.del(keys.dirty(entryKey(kind, user)));   // the marker expired: the store has the usage now
        }
        assertThat(cache.put(CacheEntry.of(user, usd("9")))).isTrue();
        assertThat(refill(CacheEntryKind.PLATFORM_QUOTA, user)).isTrue();
        assertThat(refill(CacheEntryKind.KEY_USAGE, user)).isTrue();
        assertThat(cache.check(check(req, rpm(null, null))).complete()).isTrue();
        assertThat(balance(user)).isEqualTo(usd("9"));
    }

    @Test
    void usageInSubscriptionModeMarksTheAbsentSubscriptionOfTheEventsGroup() {
        long user = 65;
        cache.put(CacheEntry.of(KeyUsage.empty(user, KEY)));

        assertThat(cache.applyUsage(subscriptionEvent("r-65", user, usd("1"), KEY), NOW, ZONE)).isTrue();

        assertDirty(keys.subscription(user, GROUP));
        assertThat(cache.put(CacheEntry.of(activeSubscription(user)))).isFalse();
        assertThat(redis.exists(keys.dirty(keys.keyUsage(user, KEY)))).as("valid: incremented").isFalse();
        assertThat(redis.exists(keys.dirty(keys.balance(user)))).isFalse();
        assertThat(redis.exists(keys.dirty(keys.platformQuota(user, PLATFORM)))).isFalse();
    }

    @Test
    void settleMarksAbsentEntriesDirtyAndReplaysMarkNothing() {
        long user = 66;

        boolean settled = cache.settle("h", balanceEvent("r-66", user, usd("1"), null, null), NOW, ZONE);
        assertDirty(keys.balance(user));
        assertThat(redis.exists(keys.dirty(keys.platformQuota(user, PLATFORM)))).as("no platform in the event").isFalse();
        assertThat(redis.exists(keys.dirty(keys.keyUsage(user, KEY)))).as("no key in the event").isFalse();
        redis.del(keys.dirty(keys.balance(user)));

        boolean settledAgain = cache.settle("h", balanceEvent("r-66", user, usd("1"), null, null), NOW, ZONE);
        boolean replayed = cache.applyUsage(balanceEvent("r-66", user, usd("1"), null, null), NOW, ZONE);

        assertThat(settled).isTrue();
        assertThat(settledAgain).isFalse();
        assertThat(replayed).isFalse();
        assertThat(redis.exists(keys.dirty(keys.balance(user)))).as("nothing applied, nothing marked").isFalse();
        assertThat(cache.put(CacheEntry.of(user, usd("5")))).isTrue();
    }

    @Test
    void evictDeletesTheEntryAndMarksItDirtyUntilTheMarkerIsGone() {
        long user = 61;
        for (CacheEntryKind kind : CacheEntryKind.values()) {
            assertThat(refill(kind, user)).isTrue();
        }

        cache.evict(EntryRef.balance(user));
        cache.evict(EntryRef.subscription(user, GROUP));
        cache.evict(EntryRef.platformQuota(user, PLATFORM));
        cache.evict(EntryRef.keyUsage(user, KEY));
        cache.evict(EntryRef.keyModelUsage(user, KEY, MODEL));

        for (CacheEntryKind kind : CacheEntryKind.values()) {
            String key = entryKey(kind, user);
            assertThat(redis.exists(key)).as(key).isFalse();
            assertDirty(key);
            assertThat(refill(kind, user)).as("%s refill after the eviction", kind).isFalse();
            redis.del(keys.dirty(key));
            assertThat(refill(kind, user)).as("%s refill once the marker is gone", kind).isTrue();
        }
    }

    @Test
    void evictingAnAbsentEntryStillMarksItDirty() {
        long user = 67;

        cache.evict(EntryRef.platformQuota(user, PLATFORM));

        assertDirty(keys.platformQuota(user, PLATFORM));
        assertThat(refill(CacheEntryKind.PLATFORM_QUOTA, user)).isFalse();
    }

    @Test
    void theDirtyTtlIsTheConfiguredOne() {
        Duration ttl = Duration.ofSeconds(3);
        RedisQuota custom = RedisQuota.create(redis, RedisQuotaOptions.builder().keyPrefix(keys.prefix() + "-d")
                .dirtyTtl(ttl).build());
        long user = 68;

        custom.billingCache().evict(EntryRef.balance(user));
        custom.billingCache().applyUsage(balanceEvent("r-68", user, usd("1"), null, KEY), NOW, ZONE);

        assertThat(redis.pttl(custom.keys().dirty(custom.keys().balance(user))))
                .isPositive().isLessThanOrEqualTo(ttl.toMillis());
        assertThat(redis.pttl(custom.keys().dirty(custom.keys().keyUsage(user, KEY))))
                .isPositive().isLessThanOrEqualTo(ttl.toMillis());
        assertThat(custom.billingCache().dirtyTtl()).as("what the gate bounds a queued refill's age by").isEqualTo(ttl);
        assertThat(cache.dirtyTtl()).isEqualTo(RedisQuotaOptions.DEFAULT_DIRTY_TTL);
    }

    @Test
    void concurrentRefillsOfOneEntryWriteOnce() throws Exception {
        // two gateway processes loading different values: the first refill wins, the rest are refused
        long user = 69;

        List<Boolean> results = race(t -> cache.put(CacheEntry.of(user, Money.ofNanos(1_000 + t))));

        assertThat(results).filteredOn(b -> b).hasSize(1);
        long winner = 1_000 + results.indexOf(true);
        assertThat(balance(user)).isEqualTo(Money.ofNanos(winner));
    }

    /** Asserts that the entry's dirty marker exists with a TTL in (0, dirtyTtl]. */
    private void assertDirty(String entryKey) {
        assertThat(redis.get(keys.dirty(entryKey))).as("marker of %s", entryKey).isEqualTo("1");
        assertThat(redis.pttl(keys.dirty(entryKey))).as("marker TTL of %s", entryKey)
                .isPositive().isLessThanOrEqualTo(quota.options().dirtyTtl().toMillis());
    }

    private String entryKey(CacheEntryKind kind, long user) {
        return switch (kind) {
            case BALANCE -> keys.balance(user);
            case SUBSCRIPTION -> keys.subscription(user, GROUP);
            case PLATFORM_QUOTA -> keys.platformQuota(user, PLATFORM);
            case KEY_USAGE -> keys.keyUsage(user, KEY);
            case KEY_MODEL_USAGE -> keys.keyModelUsage(user, KEY, MODEL);
        };
    }

    /** Refills the entry of {@code kind} with a fixed valid value. */
    private boolean refill(CacheEntryKind kind, long user) {
        return switch (kind) {
            case BALANCE -> cache.put(CacheEntry.of(user, usd("4")));
            case SUBSCRIPTION -> cache.put(CacheEntry.of(activeSubscription(user)));
            case PLATFORM_QUOTA -> cache.put(CacheEntry.of(PlatformQuotaRecord.empty(user, PLATFORM)
                    .withLimits(PeriodLimits.UNLIMITED)));
            case KEY_USAGE -> cache.put(CacheEntry.of(KeyUsage.empty(user, KEY)));
            case KEY_MODEL_USAGE -> cache.put(CacheEntry.of(KeyModelUsage.empty(user, KEY, MODEL)));
        };
    }

    private static Map<String, String> expectedHash(CacheEntryKind kind, long user) {
        return switch (kind) {
            case BALANCE -> BalanceEntry.encode(usd("4"));
            case SUBSCRIPTION -> SubscriptionEntry.encode(activeSubscription(user));
            case PLATFORM_QUOTA -> PlatformQuotaEntry.encode(PlatformQuotaRecord.empty(user, PLATFORM)
                    .withLimits(PeriodLimits.UNLIMITED));
            case KEY_USAGE -> KeyUsageEntry.encode(KeyUsage.empty(user, KEY));
            case KEY_MODEL_USAGE -> KeyModelUsageEntry.encode(KeyModelUsage.empty(user, KEY, MODEL));
        };
    }

    private Map<String, Map<String, String>> rawEntries(long user) {
        Map<String, Map<String, String>> out = new java.util.TreeMap<>();
        for (CacheEntryKind kind : CacheEntryKind.values()) {
            out.put(kind.name(), redis.hgetAll(entryKey(kind, user)));
        }
        return out;
    }

    // ------------------------------------------------------------------ holds

    @Test
    void reserveHoldsTheEstimateAgainstEveryScopeAndCountsOtherHolds() {
        long user = 70;
        cache.put(CacheEntry.of(user, usd("10")));
        cache.put(CacheEntry.of(platformQuota(user, periodLimits("3", null, null), WindowUsage.EMPTY, WindowUsage.EMPTY,
                WindowUsage.EMPTY)));
        cache.put(CacheEntry.of(KeyUsage.empty(user, KEY)));
        CheckRequest req = balanceRequest(user, PLATFORM, keyLimits("5", null, null));

        ReserveView a = cache.reserve(check(req, rpm(null, 100L)), new Hold("a", usd("1"), NOW.plusSeconds(60)));
        ReserveView b = cache.reserve(check(req, rpm(null, 100L)), new Hold("b", usd("1.5"), NOW.plusSeconds(60)));
        ReserveView c = cache.reserve(check(req, rpm(null, 100L)), new Hold("c", usd("0.6"), NOW.plusSeconds(60)));

        assertThat(a.admitted()).isTrue();
        assertThat(a.heldBefore()).isEqualTo(Holds.NONE);
        assertThat(a.view().userRpmCount()).isEqualTo(1);
        assertThat(b.admitted()).isTrue();
        long one = usd("1").nanos();
        assertThat(b.heldBefore()).isEqualTo(new Holds(one, 0, one, one));
        long twoAndHalf = usd("2.5").nanos();
        assertThat(c.heldBefore()).isEqualTo(new Holds(twoAndHalf, 0, twoAndHalf, twoAndHalf));
        assertThat(c.admitted()).as("2.5 held + 0.6 > daily platform cap 3").isFalse();
        assertThat(c.view().rpmCounted()).isFalse();
        assertThat(redis.hlen(keys.holds(user))).isEqualTo(2);
        assertThat(redis.pttl(keys.holds(user))).isPositive().isLessThanOrEqualTo(60_000);
    }

    @Test
    void reservingAnIdThatIsAlreadyHeldChangesNothing() {
        long user = 71;
        cache.put(CacheEntry.of(user, usd("10")));
        CheckRequest req = balanceRequest(user, null, null);
        Hold hold = new Hold("same", usd("4"), NOW.plusSeconds(60));

        ReserveView first = cache.reserve(check(req, rpm(null, 100L)), hold);
        ReserveView again = cache.reserve(check(req, rpm(null, 100L)), hold);

        assertThat(first.admitted()).isTrue();
        assertThat(again.admitted()).isTrue();
        assertThat(again.heldBefore()).isEqualTo(Holds.NONE);
        assertThat(again.view().rpmCounted()).isFalse();
        assertThat(rpmCounter.increment(user, null, QuotaWindows.RPM.bucketStart(NOW))).isEqualTo(2);
        assertThat(redis.hlen(keys.holds(user))).isEqualTo(1);
    }

    @Test
    void settleAppliesTheUsageDropsTheHoldAndIsIdempotent() {
        long user = 72;
        cache.put(CacheEntry.of(user, usd("10")));
        CheckRequest req = balanceRequest(user, null, null);
        cache.reserve(check(req, rpm(null, null)), new Hold("h", usd("2"), NOW.plusSeconds(60)));

        boolean settled = cache.settle("h", balanceEvent("req-h", user, usd("1.5"), null, null), NOW, ZONE);
        boolean again = cache.settle("h", balanceEvent("req-h", user, usd("1.5"), null, null), NOW, ZONE);
        boolean otherRequestSameHold = cache.settle("h", balanceEvent("req-h2", user, usd("1.5"), null, null), NOW, ZONE);
        boolean replayedRequest = cache.applyUsage(balanceEvent("req-h", user, usd("1.5"), null, null), NOW, ZONE);

        assertThat(settled).isTrue();
        assertThat(again).isFalse();
        assertThat(otherRequestSameHold).isFalse();
        assertThat(replayedRequest).isFalse();
        assertThat(balance(user)).isEqualTo(usd("8.5"));
        assertThat(redis.hexists(keys.holds(user), "h")).isFalse();
    }

    @Test
    void settlingAfterTheRequestWasRecordedAppliesNothingMoreButDropsTheHold() {
        long user = 73;
        cache.put(CacheEntry.of(user, usd("10")));
        cache.reserve(check(balanceRequest(user, null, null), rpm(null, null)), new Hold("h", usd("2"), NOW.plusSeconds(60)));
        cache.applyUsage(balanceEvent("req", user, usd("1"), null, null), NOW, ZONE);

        assertThat(cache.settle("h", balanceEvent("req", user, usd("1"), null, null), NOW, ZONE)).isFalse();

        assertThat(balance(user)).isEqualTo(usd("9"));
        assertThat(redis.hexists(keys.holds(user), "h")).isFalse();
    }

    @Test
    void releaseDropsALiveHoldOnce() {
        long user = 74;
        cache.put(CacheEntry.of(user, usd("10")));
        CheckRequest req = balanceRequest(user, null, null);
        cache.reserve(check(req, rpm(null, null)), new Hold("h", usd("9"), NOW.plusSeconds(60)));

        assertThat(cache.release(user, "h")).isTrue();
        assertThat(cache.release(user, "h")).isFalse();
        assertThat(cache.reserve(check(req, rpm(null, null)), new Hold("next", usd("9"), NOW.plusSeconds(60))).admitted())
                .isTrue();
    }

    @Test
    void expiredHoldsNoLongerCountAndArePurgedByTheNextReservation() {
        long user = 75;
        cache.put(CacheEntry.of(user, usd("10")));
        CheckRequest req = balanceRequest(user, null, null);
        cache.reserve(check(req, rpm(null, null)), new Hold("old", usd("9"), NOW.plusSeconds(30)));
        cache.reserve(check(req, rpm(null, null)), new Hold("old2", usd("0.5"), NOW.plusSeconds(30)));
        Instant later = NOW.plusSeconds(30);

        ReserveView r = cache.reserve(check(req, rpm(null, null), later), new Hold("new", usd("9"), later.plusSeconds(30)));

        assertThat(r.admitted()).isTrue();
        assertThat(r.heldBefore()).isEqualTo(Holds.NONE);
        assertThat(redis.hkeys(keys.holds(user))).containsExactly("new");
        assertThat(cache.release(user, "old2")).as("already purged").isFalse();
    }

    @Test
    void reserveInSubscriptionModeHoldsAgainstTheGroupLimits() {
        long user = 76;
        cache.put(CacheEntry.of(activeSubscription(user)));
        CheckRequest req = subscriptionRequest(user, periodLimits("2", null, null), null);

        ReserveView a = cache.reserve(check(req, rpm(null, null)), new Hold("a", usd("1.5"), NOW.plusSeconds(60)));
        ReserveView b = cache.reserve(check(req, rpm(null, null)), new Hold("b", usd("0.5"), NOW.plusSeconds(60)));
        ReserveView c = cache.reserve(check(req, rpm(null, null)), new Hold("c", Money.ofNanos(1), NOW.plusSeconds(60)));

        assertThat(a.admitted()).isTrue();
        assertThat(b.admitted()).isTrue();
        assertThat(c.admitted()).isFalse();
        assertThat(c.heldBefore()).isEqualTo(new Holds(0, usd("2").nanos(), 0, 0));
    }

    @Test
    void reserveReportsMissesAndTakesNoHoldWhenEntriesAreAbsent() {
        long user = 77;

        ReserveView r = cache.reserve(check(balanceRequest(user, PLATFORM, null), rpm(null, 10L)),
                new Hold("h", usd("1"), NOW.plusSeconds(60)));

        assertThat(r.admitted()).isFalse();
        assertThat(r.view().misses()).containsExactlyInAnyOrder(CacheEntryKind.BALANCE, CacheEntryKind.PLATFORM_QUOTA);
        assertThat(redis.exists(keys.holds(user))).isFalse();
    }

    // ------------------------------------------------------------------ RPM counter

    @Test
    void rpmCountersCountPerBucketAndScopeAndExpire() {
        long user = 80;
        Instant bucket = QuotaWindows.RPM.bucketStart(NOW);
        Instant next = bucket.plusSeconds(60);

        assertThat(rpmCounter.increment(user, null, bucket)).isEqualTo(1);
        assertThat(rpmCounter.increment(user, null, bucket)).isEqualTo(2);
        assertThat(rpmCounter.increment(user, GROUP, bucket)).isEqualTo(1);
        assertThat(rpmCounter.increment(user, null, next)).isEqualTo(1);
        assertThat(rpmCounter.increment(user + 1, null, bucket)).isEqualTo(1);
        assertThat(redis.pttl(keys.rpmUser(user, bucket.toEpochMilli())))
                .isPositive().isLessThanOrEqualTo(quota.options().rpmCounterTtl().toMillis());
        assertThat(redis.pttl(keys.rpmGroup(user, GROUP, bucket.toEpochMilli()))).isPositive();
    }

    // ------------------------------------------------------------------ concurrency

    @Test
    void concurrentRecordsSumExactly() throws Exception {
        long user = 90;
        int perThread = 25;
        cache.put(CacheEntry.of(user, usd("1000")));
        cache.put(CacheEntry.of(KeyUsage.empty(user, KEY)));
        cache.put(CacheEntry.of(PlatformQuotaRecord.empty(user, PLATFORM).withLimits(PeriodLimits.UNLIMITED)));
        Money cost = usd("0.000000123");

        List<Boolean> results = race(t -> {
            int applied = 0;
            for (int i = 0; i < perThread; i++) {
                if (cache.applyUsage(balanceEvent("c-" + t + "-" + i, user, cost, PLATFORM, KEY), NOW, ZONE)) {
                    applied++;
                }
            }
            return applied == perThread;
        });

        assertThat(results).containsOnly(true);
        long total = cost.nanos() * THREADS * perThread;
        CheckView v = cache.check(check(balanceRequest(user, PLATFORM, keyLimits("1000", null, null)), rpm(null, null)));
        assertThat(v.balance().nanos()).isEqualTo(usd("1000").nanos() - total);
        assertThat(v.keyUsage().fiveHours().used()).isEqualTo(total);
        assertThat(v.platformQuota().monthly().used()).isEqualTo(total);
    }

    @Test
    void concurrentReplaysOfOneRequestIdApplyOnce() throws Exception {
        long user = 91;
        cache.put(CacheEntry.of(user, usd("10")));

        List<Boolean> results = race(t -> cache.applyUsage(balanceEvent("same-request", user, usd("1"), null, null), NOW, ZONE));

        assertThat(results).filteredOn(b -> b).hasSize(1);
        assertThat(balance(user)).isEqualTo(usd("9"));
    }

    @Test
    void concurrentHoldsNeverAdmitMoreThanTheLimit() throws Exception {
        long user = 92;
        cache.put(CacheEntry.of(user, usd("100")));
        cache.put(CacheEntry.of(keyUsage(user, used("0.4", NOW.minusSeconds(1)), WindowUsage.EMPTY, WindowUsage.EMPTY)));
        CheckRequest req = balanceRequest(user, null, keyLimits("10", null, null));

        List<Boolean> results = race(t -> cache.reserve(check(req, rpm(null, null)),
                new Hold("hold-" + t, usd("1"), NOW.plusSeconds(60))).admitted());

        long admitted = results.stream().filter(b -> b).count();
        assertThat(admitted).as("0.4 used + n x 1 <= 10").isEqualTo(9);
        assertThat(redis.hlen(keys.holds(user))).isEqualTo(9);
    }

    @Test
    void concurrentHoldsNeverOverdrawTheBalance() throws Exception {
        long user = 93;
        cache.put(CacheEntry.of(user, usd("5")));
        CheckRequest req = balanceRequest(user, null, null);

        List<Boolean> results = race(t -> cache.reserve(check(req, rpm(null, null)),
                new Hold("hold-" + t, usd("0.7"), NOW.plusSeconds(60))).admitted());

        assertThat(results.stream().filter(b -> b).count()).as("7 x 0.7 <= 5 < 8 x 0.7").isEqualTo(7);
    }

    @Test
    void concurrentRpmCountsAreExact() throws Exception {
        long user = 94;
        int perThread = 25;
        cache.put(CacheEntry.of(user, usd("1")));
        CheckRequest req = balanceRequest(user, null, null);
        Instant bucket = QuotaWindows.RPM.bucketStart(NOW);

        race(t -> {
            for (int i = 0; i < perThread; i++) {
                rpmCounter.increment(user, GROUP, bucket);
                cache.check(check(req, rpm(null, 1_000_000L)));
            }
            return true;
        });

        assertThat(rpmCounter.increment(user, GROUP, bucket)).isEqualTo(THREADS * perThread + 1);
        assertThat(rpmCounter.increment(user, null, bucket)).isEqualTo(THREADS * perThread + 1);
    }

    /** Runs {@code task(threadIndex)} on 32 threads released together by a barrier. */
    private static <T> List<T> race(Threads.Task<T> task) throws Exception {
        return Threads.race(THREADS, task);
    }

    private Money balance(long user) {
        return cache.check(check(balanceRequest(user, null, null), rpm(null, null))).balance();
    }
}
