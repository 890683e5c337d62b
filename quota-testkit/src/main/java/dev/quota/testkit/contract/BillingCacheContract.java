package dev.quota.testkit.contract;

import static dev.quota.testkit.contract.Fixtures.SHANGHAI;
import static dev.quota.testkit.contract.Fixtures.TWO_POW_53;
import static dev.quota.testkit.contract.Fixtures.at;
import static dev.quota.testkit.contract.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.cache.BalanceEntry;
import dev.quota.core.cache.KeyUsageEntry;
import dev.quota.core.cache.PlatformQuotaEntry;
import dev.quota.core.limit.CheckRequest;
import dev.quota.core.limit.EligibilityEvaluator;
import dev.quota.core.limit.Holds;
import dev.quota.core.limit.KeyLimits;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.limit.Limit;
import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.limit.RpmPlan;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.limit.SubscriptionStatus;
import dev.quota.core.money.Money;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.spi.CheckView;
import dev.quota.core.spi.Hold;
import dev.quota.core.spi.ReserveView;
import dev.quota.core.usage.BillingMode;
import dev.quota.core.usage.UsageEvent;
import dev.quota.core.window.WindowUsage;
import dev.quota.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link BillingCache} passes: misses for absent, foreign-version and corrupt entries;
 * RPM counted only when every entry is present and nothing denies; usage applied once per request id, only to
 * entries that exist, with expired windows reset; reservations that never admit beyond a limit, even with many
 * concurrent reservers; settle and release idempotent; holds that lapse on their own.
 *
 * <p>Extend it and implement {@link #createCache()} and {@link #putRawHash}. Time comes from a
 * {@link MutableClock} passed as {@code now}; nothing sleeps.
 */
public abstract class BillingCacheContract {

    /** The user every test works with. */
    protected static final long USER = 42;
    /** A standard (balance-billed) group. */
    protected static final long GROUP = 7;
    /** A subscription group. */
    protected static final long SUB_GROUP = 8;
    /** The API key. */
    protected static final long API_KEY = 9;
    /** The platform. */
    protected static final String PLATFORM = "anthropic";

    /** The field holding the schema version in every cache entry. */
    private static final String SCHEMA_FIELD = "sv";
    private static final KeyLimits KEY_LIMITS = new KeyLimits(Limit.of(usd("50")), Limit.of(usd("100")),
            Limit.of(usd("500")));
    private static final PeriodLimits PLATFORM_LIMITS = new PeriodLimits(Limit.of(usd("10")), Limit.of(usd("50")),
            Limit.of(usd("100")));
    private static final PeriodLimits SUB_LIMITS = new PeriodLimits(Limit.of(usd("3")), Limit.of(usd("10")),
            Limit.of(usd("30")));

    private BillingCache cache;
    private MutableClock clock;

    /** Creates the contract; subclasses supply the cache. */
    protected BillingCacheContract() {
    }

    /**
     * Creates the cache under test. Called before every test; each call must return a cache that sees no
     * entries, holds, applied request ids or RPM counts of earlier tests (a fresh instance or key prefix),
     * because the tests reuse ids.
     *
     * @return an empty cache
     */
    protected abstract BillingCache createCache();

    /**
     * Writes a raw cache entry into the cache last returned by {@link #createCache()}, exactly as stored
     * (for Redis: {@code DEL} then {@code HSET} of the entry's key), so the suite can plant entries of another
     * schema version or with corrupt fields.
     *
     * @param kind the entry kind
     * @param userId the owning user
     * @param qualifier {@code null} for {@link CacheEntryKind#BALANCE}; the group id in decimal for
     *                  {@link CacheEntryKind#SUBSCRIPTION}; the platform name for
     *                  {@link CacheEntryKind#PLATFORM_QUOTA}; the API key id in decimal for
     *                  {@link CacheEntryKind#KEY_USAGE}
     * @param fields the hash fields, never empty
     */
    protected abstract void putRawHash(CacheEntryKind kind, long userId, String qualifier, Map<String, String> fields);

    /** @return the cache of the running test */
    protected BillingCache cache() {
        return cache;
    }

    /** @return the clock of the running test (starts at 2025-03-12T06:30:00Z, Wednesday 14:30 in Shanghai) */
    protected MutableClock clock() {
        return clock;
    }

    @BeforeEach
    void createCacheUnderTest() {
        cache = createCache();
        clock = MutableClock.startingAt("2025-03-12T06:30:00Z");
    }

    // ------------------------------------------------------------------ helpers

    /** Replaces a cached balance unconditionally, as an operator would (refills never overwrite). */
    private void replaceBalance(Money balance) {
        putRawHash(CacheEntryKind.BALANCE, USER, null, BalanceEntry.encode(balance));
    }

    private void replaceKeyUsage(KeyUsage usage) {
        putRawHash(CacheEntryKind.KEY_USAGE, usage.userId(), Long.toString(usage.apiKeyId()), KeyUsageEntry.encode(usage));
    }

    private void replacePlatformQuota(PlatformQuotaRecord entry) {
        putRawHash(CacheEntryKind.PLATFORM_QUOTA, entry.userId(), entry.platform(), PlatformQuotaEntry.encode(entry));
    }

    private void replaceSubscription(SubscriptionState state) {
        putRawHash(CacheEntryKind.SUBSCRIPTION, state.userId(), Long.toString(state.groupId()),
                dev.quota.core.cache.SubscriptionEntry.encode(state));
    }

    private static CheckRequest balanceRequest() {
        return CheckRequest.builder(USER).userRpmLimit(Limit.of(1000)).apiKey(API_KEY, KEY_LIMITS)
                .group(GROUP, Limit.of(600)).platform(PLATFORM).noGroupRpmOverride().build();
    }

    private static CheckRequest subscriptionRequest() {
        return CheckRequest.builder(USER).userRpmLimit(Limit.of(1000)).apiKey(API_KEY, KEY_LIMITS)
                .subscriptionGroup(SUB_GROUP, SUB_LIMITS, Limit.of(600)).subscribed(true).platform(PLATFORM)
                .noGroupRpmOverride().build();
    }

    private static RpmPlan plan(CheckRequest request) {
        return EligibilityEvaluator.inZone(SHANGHAI).rpmPlan(request, OptionalLong.empty());
    }

    /** A check that reads without counting RPM. */
    private CheckView read(CheckRequest request) {
        return cache.check(new CacheCheck(request, RpmPlan.NONE, clock.instant(), SHANGHAI));
    }

    private CheckView counting(CheckRequest request) {
        return cache.check(counted(request));
    }

    private CacheCheck counted(CheckRequest request) {
        return new CacheCheck(request, plan(request), clock.instant(), SHANGHAI);
    }

    private ReserveView reserve(CheckRequest request, String holdId, Money estimate) {
        return cache.reserve(counted(request), hold(holdId, estimate));
    }

    private Hold hold(String holdId, Money estimate) {
        return new Hold(holdId, estimate, clock.instant().plus(Duration.ofMinutes(5)));
    }

    private PlatformQuotaRecord emptyPlatform() {
        return new PlatformQuotaRecord(USER, PLATFORM, PLATFORM_LIMITS, WindowUsage.EMPTY, WindowUsage.EMPTY,
                WindowUsage.EMPTY);
    }

    private SubscriptionState activeSubscription() {
        return new SubscriptionState(USER, SUB_GROUP, SubscriptionStatus.ACTIVE,
                clock.instant().plus(Duration.ofDays(30)), WindowUsage.EMPTY, WindowUsage.EMPTY, WindowUsage.EMPTY);
    }

    /** Caches every entry both modes need: 10 USD balance, empty platform quota, key usage, subscription. */
    private void fill() {
        cache.putBalance(USER, usd("10"));
        cache.putPlatformQuota(emptyPlatform());
        cache.putKeyUsage(KeyUsage.empty(USER, API_KEY));
        cache.putSubscription(activeSubscription());
    }

    private UsageEvent usage(String requestId, Money cost) {
        return UsageEvent.builder(requestId, USER).apiKeyId(API_KEY).groupId(GROUP).platform(PLATFORM)
                .model("claude").totalCost(cost).actualCost(cost).occurredAt(clock.instant()).build();
    }

    private UsageEvent subscriptionUsage(String requestId, Money cost) {
        return UsageEvent.builder(requestId, USER).apiKeyId(API_KEY).groupId(SUB_GROUP)
                .billingMode(BillingMode.SUBSCRIPTION).platform(PLATFORM).model("claude")
                .totalCost(cost).actualCost(cost).occurredAt(clock.instant()).build();
    }

    private boolean apply(UsageEvent event) {
        return cache.applyUsage(event, clock.instant(), SHANGHAI);
    }

    private Money balance() {
        return read(balanceRequest()).balance();
    }

    private static Map<String, String> with(Map<String, String> fields, String field, String value) {
        Map<String, String> copy = new LinkedHashMap<>(fields);
        copy.put(field, value);
        return copy;
    }

    // ------------------------------------------------------------------ check: entries and misses

    @Test
    void everyNeededEntryIsAMissOnAnEmptyCache() {
        CheckView view = read(balanceRequest());
        assertThat(view.misses()).containsExactlyInAnyOrder(CacheEntryKind.BALANCE, CacheEntryKind.PLATFORM_QUOTA,
                CacheEntryKind.KEY_USAGE);
        assertThat(view.complete()).isFalse();
        assertThat(view.balance()).isNull();
        assertThat(view.platformQuota()).isNull();
        assertThat(view.keyUsage()).isNull();
    }

    @Test
    void presentEntriesAreReturnedAsCached() {
        PlatformQuotaRecord platform = new PlatformQuotaRecord(USER, PLATFORM, PLATFORM_LIMITS,
                new WindowUsage(usd("1").nanos(), at("2025-03-11T16:00:00Z")),
                new WindowUsage(usd("2").nanos(), at("2025-03-09T16:00:00Z")),
                new WindowUsage(usd("3").nanos(), at("2025-03-01T00:00:00Z")));
        KeyUsage key = new KeyUsage(USER, API_KEY, new WindowUsage(7, clock.instant()), WindowUsage.EMPTY,
                new WindowUsage(9, at("2025-03-10T00:00:00.001Z")));
        cache.putBalance(USER, usd("12.345678901"));
        cache.putPlatformQuota(platform);
        cache.putKeyUsage(key);
        CheckView view = read(balanceRequest());
        assertThat(view.complete()).isTrue();
        assertThat(view.balance()).isEqualTo(usd("12.345678901"));
        assertThat(view.platformQuota()).isEqualTo(platform);
        assertThat(view.keyUsage()).isEqualTo(key);
        assertThat(view.subscription()).isNull();
    }

    @Test
    void onlyTheMissingEntriesAreReportedAsMisses() {
        cache.putBalance(USER, usd("1"));
        CheckView view = read(balanceRequest());
        assertThat(view.misses()).containsExactlyInAnyOrder(CacheEntryKind.PLATFORM_QUOTA, CacheEntryKind.KEY_USAGE);
        assertThat(view.balance()).isEqualTo(usd("1"));
    }

    @Test
    void subscriptionModeNeedsTheSubscriptionAndTheKeyButNotTheBalance() {
        assertThat(read(subscriptionRequest()).misses())
                .containsExactlyInAnyOrder(CacheEntryKind.SUBSCRIPTION, CacheEntryKind.KEY_USAGE);
        fill();
        CheckView view = read(subscriptionRequest());
        assertThat(view.complete()).isTrue();
        assertThat(view.subscription()).isEqualTo(activeSubscription());
        assertThat(view.balance()).isNull();
    }

    @Test
    void aRequestWithoutPlatformAndKeyLimitsNeedsOnlyTheBalance() {
        CheckRequest request = CheckRequest.builder(USER).apiKey(API_KEY, KeyLimits.UNLIMITED).build();
        assertThat(read(request).misses()).containsExactly(CacheEntryKind.BALANCE);
    }

    @Test
    void balanceOfAnotherUserIsNotSeen() {
        cache.putBalance(USER + 1, usd("5"));
        assertThat(read(CheckRequest.builder(USER).build()).misses()).containsExactly(CacheEntryKind.BALANCE);
    }

    @Test
    void rawEntryInTheCurrentEncodingIsAHit() {
        putRawHash(CacheEntryKind.BALANCE, USER, null, BalanceEntry.encode(usd("3")));
        putRawHash(CacheEntryKind.PLATFORM_QUOTA, USER, PLATFORM, PlatformQuotaEntry.encode(emptyPlatform()));
        putRawHash(CacheEntryKind.KEY_USAGE, USER, Long.toString(API_KEY), KeyUsageEntry.encode(KeyUsage.empty(USER, API_KEY)));
        CheckView view = read(balanceRequest());
        assertThat(view.complete()).isTrue();
        assertThat(view.balance()).isEqualTo(usd("3"));
    }

    @Test
    void entryOfAnotherSchemaVersionIsAMiss() {
        putRawHash(CacheEntryKind.BALANCE, USER, null, with(BalanceEntry.encode(usd("3")), SCHEMA_FIELD, "999"));
        assertThat(read(balanceRequest()).misses()).contains(CacheEntryKind.BALANCE);
    }

    @Test
    void entryWithoutSchemaVersionIsAMiss() {
        Map<String, String> legacy = new LinkedHashMap<>(PlatformQuotaEntry.encode(emptyPlatform()));
        legacy.remove(SCHEMA_FIELD);
        cache.putBalance(USER, usd("3"));
        putRawHash(CacheEntryKind.PLATFORM_QUOTA, USER, PLATFORM, legacy);
        CheckView view = read(balanceRequest());
        assertThat(view.misses()).contains(CacheEntryKind.PLATFORM_QUOTA);
        assertThat(view.balance()).isEqualTo(usd("3"));
    }

    @Test
    void entryWithAnUnparsableAmountIsAMiss() {
        putRawHash(CacheEntryKind.BALANCE, USER, null, with(BalanceEntry.encode(usd("3")), BalanceEntry.BALANCE, "3.5"));
        putRawHash(CacheEntryKind.KEY_USAGE, USER, Long.toString(API_KEY),
                with(KeyUsageEntry.encode(KeyUsage.empty(USER, API_KEY)), KeyUsageEntry.USAGE_5H, "abc"));
        assertThat(read(balanceRequest()).misses()).contains(CacheEntryKind.BALANCE, CacheEntryKind.KEY_USAGE);
    }

    @Test
    void entryWithANegativeUsageIsAMissWhileTheOthersArePresent() {
        fill();
        putRawHash(CacheEntryKind.PLATFORM_QUOTA, USER, PLATFORM,
                with(PlatformQuotaEntry.encode(emptyPlatform()), PlatformQuotaEntry.DAILY_USAGE, "-5"));
        CheckView view = read(balanceRequest());
        assertThat(view.misses()).containsExactly(CacheEntryKind.PLATFORM_QUOTA);
        assertThat(view.balance()).isEqualTo(usd("10"));
        assertThat(view.keyUsage()).isEqualTo(KeyUsage.empty(USER, API_KEY));
    }

    @Test
    void entryWithAMissingFieldIsAMiss() {
        Map<String, String> partial = new LinkedHashMap<>(KeyUsageEntry.encode(KeyUsage.empty(USER, API_KEY)));
        partial.remove(KeyUsageEntry.USAGE_7D);
        putRawHash(CacheEntryKind.KEY_USAGE, USER, Long.toString(API_KEY), partial);
        assertThat(read(balanceRequest()).misses()).contains(CacheEntryKind.KEY_USAGE);
    }

    // ------------------------------------------------------------------ check: RPM

    @Test
    void rpmIsCountedWhenEveryEntryIsPresentAndNothingDenies() {
        fill();
        CheckView first = counting(balanceRequest());
        CheckView second = counting(balanceRequest());
        assertThat(first.rpmCounted()).isTrue();
        assertThat(first.groupRpmCount()).isEqualTo(1);
        assertThat(first.userRpmCount()).isEqualTo(1);
        assertThat(second.groupRpmCount()).isEqualTo(2);
        assertThat(second.userRpmCount()).isEqualTo(2);
    }

    @Test
    void rpmIsNotCountedWhenAnEntryIsMissing() {
        cache.putBalance(USER, usd("10"));
        CheckView incomplete = counting(balanceRequest());
        assertThat(incomplete.rpmCounted()).isFalse();
        assertThat(incomplete.userRpmCount()).isZero();
        fill();
        assertThat(counting(balanceRequest()).userRpmCount()).isEqualTo(1);
    }

    @Test
    void rpmIsNotCountedWhenTheBalanceIsExhausted() {
        fill();
        replaceBalance(Money.ZERO);
        CheckView denied = counting(balanceRequest());
        assertThat(denied.complete()).isTrue();
        assertThat(denied.rpmCounted()).isFalse();
        replaceBalance(usd("1"));
        CheckView allowed = counting(balanceRequest());
        assertThat(allowed.groupRpmCount()).isEqualTo(1);
        assertThat(allowed.userRpmCount()).isEqualTo(1);
    }

    @Test
    void rpmIsNotCountedWhenAnApiKeyWindowIsExhausted() {
        fill();
        replaceKeyUsage(new KeyUsage(USER, API_KEY, new WindowUsage(usd("50").nanos(), clock.instant()),
                WindowUsage.EMPTY, WindowUsage.EMPTY));
        assertThat(counting(balanceRequest()).rpmCounted()).isFalse();
    }

    @Test
    void rpmIsNotCountedWhenThePlatformDailyQuotaIsExhausted() {
        fill();
        replacePlatformQuota(new PlatformQuotaRecord(USER, PLATFORM, PLATFORM_LIMITS,
                new WindowUsage(usd("10").nanos(), at("2025-03-11T16:00:00Z")), WindowUsage.EMPTY, WindowUsage.EMPTY));
        assertThat(counting(balanceRequest()).rpmCounted()).isFalse();
    }

    @Test
    void anExpiredPlatformDayCountsAsZeroAtBusinessMidnight() {
        fill();
        replacePlatformQuota(new PlatformQuotaRecord(USER, PLATFORM, PLATFORM_LIMITS,
                new WindowUsage(usd("10").nanos(), at("2025-03-10T16:00:00Z")), WindowUsage.EMPTY, WindowUsage.EMPTY));
        assertThat(counting(balanceRequest()).rpmCounted()).isTrue();
    }

    @Test
    void rpmIsNotCountedWhenTheSubscriptionExpired() {
        fill();
        replaceSubscription(new SubscriptionState(USER, SUB_GROUP, SubscriptionStatus.ACTIVE,
                clock.instant().minusMillis(1), WindowUsage.EMPTY, WindowUsage.EMPTY, WindowUsage.EMPTY));
        assertThat(counting(subscriptionRequest()).rpmCounted()).isFalse();
    }

    @Test
    void rpmIsNotCountedWhenTheSubscriptionDailyLimitIsReached() {
        fill();
        SubscriptionState used = new SubscriptionState(USER, SUB_GROUP, SubscriptionStatus.ACTIVE,
                clock.instant().plus(Duration.ofDays(30)), new WindowUsage(usd("3").nanos(), clock.instant()),
                WindowUsage.EMPTY, WindowUsage.EMPTY);
        replaceSubscription(used);
        assertThat(counting(subscriptionRequest()).rpmCounted()).isFalse();
        replaceSubscription(activeSubscription());
        assertThat(counting(subscriptionRequest()).userRpmCount()).isEqualTo(1);
    }

    @Test
    void rpmCountersStartAgainInTheNextMinute() {
        fill();
        counting(balanceRequest());
        counting(balanceRequest());
        clock.advance(Duration.ofMinutes(1));
        CheckView view = counting(balanceRequest());
        assertThat(view.groupRpmCount()).isEqualTo(1);
        assertThat(view.userRpmCount()).isEqualTo(1);
    }

    @Test
    void theUserCounterSpansGroupsWhileTheGroupCounterDoesNot() {
        fill();
        counting(balanceRequest());
        CheckRequest otherGroup = CheckRequest.builder(USER).userRpmLimit(Limit.of(1000)).apiKey(API_KEY, KEY_LIMITS)
                .group(GROUP + 1, Limit.of(600)).platform(PLATFORM).noGroupRpmOverride().build();
        CheckView view = counting(otherGroup);
        assertThat(view.groupRpmCount()).isEqualTo(1);
        assertThat(view.userRpmCount()).isEqualTo(2);
    }

    @Test
    void onlyThePlannedCountersAreCounted() {
        fill();
        CheckView view = cache.check(new CacheCheck(balanceRequest(), new RpmPlan(null, Limit.of(5)),
                clock.instant(), SHANGHAI));
        assertThat(view.rpmCounted()).isTrue();
        assertThat(view.groupRpmCount()).isZero();
        assertThat(view.userRpmCount()).isEqualTo(1);
        assertThat(counting(balanceRequest()).groupRpmCount()).isEqualTo(1);
    }

    @Test
    void concurrentChecksCountEveryRequestExactlyOnce() {
        fill();
        Set<Long> counts = ConcurrentHashMap.newKeySet();
        Race.run((thread, op) -> counts.add(counting(balanceRequest()).userRpmCount()));
        int total = Race.THREADS * Race.OPS;
        assertThat(counts).hasSize(total).allSatisfy(n -> assertThat(n).isBetween(1L, (long) total));
    }

    // ------------------------------------------------------------------ applyUsage

    @Test
    void balanceUsageDeductsTheBalanceAndAddsToPlatformAndKeyWindows() {
        fill();
        assertThat(apply(usage("req-1", usd("1.25")))).isTrue();
        CheckView view = read(balanceRequest());
        long cost = usd("1.25").nanos();
        assertThat(view.balance()).isEqualTo(usd("8.75"));
        assertThat(view.platformQuota().daily()).isEqualTo(new WindowUsage(cost, at("2025-03-11T16:00:00Z")));
        assertThat(view.platformQuota().weekly()).isEqualTo(new WindowUsage(cost, at("2025-03-09T16:00:00Z")));
        assertThat(view.platformQuota().monthly()).isEqualTo(new WindowUsage(cost, clock.instant()));
        assertThat(view.platformQuota().limits()).isEqualTo(PLATFORM_LIMITS);
        assertThat(view.keyUsage()).isEqualTo(KeyUsage.empty(USER, API_KEY).addUsage(cost, clock.instant()));
        assertThat(read(subscriptionRequest()).subscription()).isEqualTo(activeSubscription());
    }

    @Test
    void subscriptionUsageAddsToTheSubscriptionAndKeyButLeavesBalanceAndPlatform() {
        fill();
        assertThat(apply(subscriptionUsage("req-1", usd("0.5")))).isTrue();
        long cost = usd("0.5").nanos();
        CheckView sub = read(subscriptionRequest());
        assertThat(sub.subscription()).isEqualTo(activeSubscription().addUsage(cost, clock.instant()));
        assertThat(sub.keyUsage().fiveHours()).isEqualTo(new WindowUsage(cost, clock.instant()));
        CheckView bal = read(balanceRequest());
        assertThat(bal.balance()).isEqualTo(usd("10"));
        assertThat(bal.platformQuota()).isEqualTo(emptyPlatform());
    }

    @Test
    void usageOfAnotherSubscriptionGroupLeavesThisOneAlone() {
        fill();
        UsageEvent other = UsageEvent.builder("req-1", USER).groupId(SUB_GROUP + 1).billingMode(BillingMode.SUBSCRIPTION)
                .totalCost(usd("1")).occurredAt(clock.instant()).build();
        apply(other);
        assertThat(read(subscriptionRequest()).subscription()).isEqualTo(activeSubscription());
    }

    @Test
    void usageIsAppliedOncePerRequestId() {
        fill();
        assertThat(apply(usage("req-1", usd("1")))).isTrue();
        assertThat(apply(usage("req-1", usd("1")))).isFalse();
        assertThat(apply(usage("req-1", usd("7")))).isFalse();
        CheckView view = read(balanceRequest());
        assertThat(view.balance()).isEqualTo(usd("9"));
        assertThat(view.keyUsage().fiveHours().used()).isEqualTo(usd("1").nanos());
        assertThat(view.platformQuota().daily().used()).isEqualTo(usd("1").nanos());
    }

    @Test
    void aRequestIdIsUniquePerUserNotGlobally() {
        fill();
        cache.putBalance(USER + 1, usd("10"));
        UsageEvent otherUser = UsageEvent.builder("req-1", USER + 1).totalCost(usd("2")).actualCost(usd("2"))
                .occurredAt(clock.instant()).build();

        assertThat(apply(usage("req-1", usd("1")))).isTrue();
        assertThat(apply(otherUser)).isTrue();
        assertThat(apply(otherUser)).isFalse();

        assertThat(balance()).isEqualTo(usd("9"));
        assertThat(read(CheckRequest.builder(USER + 1).build()).balance()).isEqualTo(usd("8"));
    }

    @Test
    void loggedOnlyUsageMovesNoCounterAndIsAppliedOnce() {
        fill();
        UsageEvent logged = UsageEvent.builder("req-none", USER).apiKeyId(API_KEY).groupId(SUB_GROUP)
                .billingMode(BillingMode.NONE).platform(PLATFORM).model("claude").totalCost(usd("1.5"))
                .occurredAt(clock.instant()).build();
        UsageEvent noGroup = UsageEvent.builder("req-none-2", USER).billingMode(BillingMode.NONE)
                .totalCost(usd("1")).occurredAt(clock.instant()).build();

        assertThat(apply(logged)).isTrue();
        assertThat(apply(logged)).isFalse();
        assertThat(apply(noGroup)).isTrue();

        CheckView bal = read(balanceRequest());
        assertThat(bal.balance()).isEqualTo(usd("10"));
        assertThat(bal.platformQuota()).isEqualTo(emptyPlatform());
        assertThat(bal.keyUsage()).isEqualTo(KeyUsage.empty(USER, API_KEY));
        assertThat(read(subscriptionRequest()).subscription()).isEqualTo(activeSubscription());
    }

    @Test
    void usageNeverCreatesAbsentEntries() {
        assertThat(apply(usage("req-1", usd("1")))).isTrue();
        assertThat(apply(subscriptionUsage("req-2", usd("1")))).isTrue();
        assertThat(read(balanceRequest()).misses()).containsExactlyInAnyOrder(CacheEntryKind.BALANCE,
                CacheEntryKind.PLATFORM_QUOTA, CacheEntryKind.KEY_USAGE);
        assertThat(read(subscriptionRequest()).misses()).containsExactlyInAnyOrder(CacheEntryKind.SUBSCRIPTION,
                CacheEntryKind.KEY_USAGE);
    }

    @Test
    void usageOnlyTouchesTheEntriesThatExist() {
        cache.putBalance(USER, usd("10"));
        apply(usage("req-1", usd("1")));
        CheckView view = read(balanceRequest());
        assertThat(view.balance()).isEqualTo(usd("9"));
        assertThat(view.misses()).containsExactlyInAnyOrder(CacheEntryKind.PLATFORM_QUOTA, CacheEntryKind.KEY_USAGE);
    }

    @Test
    void usageLeavesAForeignEntryAMiss() {
        fill();
        putRawHash(CacheEntryKind.BALANCE, USER, null, with(BalanceEntry.encode(usd("10")), SCHEMA_FIELD, "999"));
        apply(usage("req-1", usd("1")));
        CheckView view = read(balanceRequest());
        assertThat(view.misses()).containsExactly(CacheEntryKind.BALANCE);
        assertThat(view.keyUsage().fiveHours().used()).isEqualTo(usd("1").nanos());
    }

    @Test
    void usageMayTakeTheCachedBalanceBelowZero() {
        fill();
        replaceBalance(usd("1"));
        apply(usage("req-1", usd("3")));
        assertThat(balance()).isEqualTo(usd("-2"));
    }

    @Test
    void usageResetsExpiredKeyWindowsToTheCostWithStartNow() {
        fill();
        Instant sixHoursAgo = clock.instant().minus(Duration.ofHours(6));
        replaceKeyUsage(new KeyUsage(USER, API_KEY, new WindowUsage(usd("4").nanos(), sixHoursAgo),
                new WindowUsage(usd("4").nanos(), sixHoursAgo), new WindowUsage(usd("4").nanos(), sixHoursAgo)));
        apply(usage("req-1", usd("1")));
        KeyUsage key = read(balanceRequest()).keyUsage();
        assertThat(key.fiveHours()).isEqualTo(new WindowUsage(usd("1").nanos(), clock.instant()));
        assertThat(key.oneDay()).isEqualTo(new WindowUsage(usd("5").nanos(), sixHoursAgo));
        assertThat(key.sevenDays()).isEqualTo(new WindowUsage(usd("5").nanos(), sixHoursAgo));
    }

    @Test
    void usageResetsThePlatformDayAtMidnightInTheBusinessZone() {
        fill();
        replacePlatformQuota(new PlatformQuotaRecord(USER, PLATFORM, PLATFORM_LIMITS,
                new WindowUsage(usd("9").nanos(), at("2025-03-10T16:00:00Z")), // Tuesday in Shanghai
                new WindowUsage(usd("9").nanos(), at("2025-03-09T16:00:00Z")),
                new WindowUsage(usd("9").nanos(), at("2025-03-09T16:00:00Z"))));
        apply(usage("req-1", usd("1")));
        PlatformQuotaRecord rec = read(balanceRequest()).platformQuota();
        assertThat(rec.daily()).isEqualTo(new WindowUsage(usd("1").nanos(), at("2025-03-11T16:00:00Z")));
        assertThat(rec.weekly()).isEqualTo(new WindowUsage(usd("10").nanos(), at("2025-03-09T16:00:00Z")));
        assertThat(rec.monthly()).isEqualTo(new WindowUsage(usd("10").nanos(), at("2025-03-09T16:00:00Z")));
    }

    @Test
    void usageWindowsFollowNowNotTheEventTime() {
        fill();
        UsageEvent late = UsageEvent.builder("req-1", USER).apiKeyId(API_KEY).totalCost(usd("1"))
                .occurredAt(clock.instant().minus(Duration.ofDays(3))).build();
        apply(late);
        assertThat(read(balanceRequest()).keyUsage().fiveHours()).isEqualTo(new WindowUsage(usd("1").nanos(), clock.instant()));
    }

    @Test
    void cachedBalancesAbove2Pow53NanosStayExact() {
        fill();
        replaceBalance(Money.ofNanos(TWO_POW_53 + 1));
        apply(usage("req-1", Money.ofNanos(1)));
        assertThat(balance()).isEqualTo(Money.ofNanos(TWO_POW_53));
        apply(usage("req-2", Money.ofNanos(1)));
        assertThat(balance()).isEqualTo(Money.ofNanos(TWO_POW_53 - 1));
    }

    @Test
    void aThousandUsagesOfTenCentsTakeExactlyOneHundredUsd() {
        fill();
        replaceBalance(usd("100"));
        for (int i = 0; i < 1000; i++) {
            apply(UsageEvent.builder("req-" + i, USER).totalCost(usd("0.1")).occurredAt(clock.instant()).build());
        }
        assertThat(balance()).isEqualTo(Money.ZERO);
    }

    @Test
    void concurrentUsageIsAppliedExactlyOncePerRequestId() {
        fill();
        replaceBalance(usd("100"));
        AtomicInteger applied = new AtomicInteger();
        int distinct = Race.THREADS / 2 * Race.OPS;
        Race.run((thread, op) -> {
            // Two threads share each request id: every request is replayed once, concurrently.
            String id = "req-" + ((thread % (Race.THREADS / 2)) * Race.OPS + op);
            if (apply(usage(id, usd("0.01")))) {
                applied.incrementAndGet();
            }
        });
        assertThat(applied.get()).isEqualTo(distinct);
        CheckView view = read(balanceRequest());
        assertThat(view.balance()).isEqualTo(usd("100").minus(usd("0.01").times(distinct)));
        assertThat(view.keyUsage().sevenDays().used()).isEqualTo(usd("0.01").times(distinct).nanos());
    }

    // ------------------------------------------------------------------ puts and evictions

    @Test
    void aRefillDoesNotOverwriteAValidCachedEntry() {
        fill();
        assertThat(cache.putBalance(USER, usd("2"))).isFalse();
        KeyUsage key = new KeyUsage(USER, API_KEY, new WindowUsage(1, clock.instant()), WindowUsage.EMPTY, WindowUsage.EMPTY);
        assertThat(cache.putKeyUsage(key)).isFalse();
        CheckView view = read(balanceRequest());
        assertThat(view.balance()).isEqualTo(usd("10"));
        assertThat(view.keyUsage()).isEqualTo(KeyUsage.empty(USER, API_KEY));
    }

    @Test
    void aRefillReplacesAForeignOrCorruptEntry() {
        putRawHash(CacheEntryKind.BALANCE, USER, null, with(BalanceEntry.encode(usd("3")), SCHEMA_FIELD, "999"));
        putRawHash(CacheEntryKind.KEY_USAGE, USER, Long.toString(API_KEY),
                with(KeyUsageEntry.encode(KeyUsage.empty(USER, API_KEY)), KeyUsageEntry.USAGE_5H, "x"));
        assertThat(cache.putBalance(USER, usd("2"))).isTrue();
        assertThat(cache.putKeyUsage(KeyUsage.empty(USER, API_KEY))).isTrue();
        CheckView view = read(balanceRequest());
        assertThat(view.balance()).isEqualTo(usd("2"));
        assertThat(view.keyUsage()).isEqualTo(KeyUsage.empty(USER, API_KEY));
    }

    @Test
    void usageThatMeetsAnAbsentEntryBlocksItsRefill() {
        assertThat(apply(usage("req-1", usd("1")))).isTrue();
        assertThat(cache.putBalance(USER, usd("10"))).as("loaded before the usage reached the store").isFalse();
        assertThat(cache.putPlatformQuota(emptyPlatform())).isFalse();
        assertThat(cache.putKeyUsage(KeyUsage.empty(USER, API_KEY))).isFalse();
        assertThat(read(balanceRequest()).misses()).containsExactlyInAnyOrder(CacheEntryKind.BALANCE,
                CacheEntryKind.PLATFORM_QUOTA, CacheEntryKind.KEY_USAGE);
        assertThat(cache.putSubscription(activeSubscription())).as("not touched by balance usage").isTrue();
    }

    @Test
    void subscriptionUsageThatMeetsAnAbsentEntryBlocksItsRefill() {
        assertThat(apply(subscriptionUsage("req-1", usd("1")))).isTrue();
        assertThat(cache.putSubscription(activeSubscription())).isFalse();
        assertThat(cache.putBalance(USER, usd("10"))).as("not touched by subscription usage").isTrue();
    }

    @Test
    void aReplayedRequestIdMarksNothing() {
        cache.putBalance(USER, usd("10"));
        assertThat(apply(usage("req-1", usd("1")))).isTrue();
        cache.evictKeyUsage(USER, API_KEY + 1);
        assertThat(apply(usage("req-1", usd("1")))).isFalse();
        assertThat(cache.putBalance(USER, usd("5"))).as("a valid entry stays").isFalse();
        assertThat(read(balanceRequest()).balance()).isEqualTo(usd("9"));
    }

    @Test
    void anEvictionBlocksTheRefillOfItsEntryOnly() {
        fill();
        cache.evictBalance(USER);
        assertThat(cache.putBalance(USER, usd("7"))).isFalse();
        assertThat(read(balanceRequest()).misses()).containsExactly(CacheEntryKind.BALANCE);
        assertThat(cache.putBalance(USER + 1, usd("7"))).isTrue();
    }

    @Test
    void evictionsDropExactlyTheirEntry() {
        fill();
        cache.putPlatformQuota(new PlatformQuotaRecord(USER, "openai", PLATFORM_LIMITS, WindowUsage.EMPTY,
                WindowUsage.EMPTY, WindowUsage.EMPTY));
        cache.evictBalance(USER);
        cache.evictPlatformQuota(USER, PLATFORM);
        cache.evictKeyUsage(USER, API_KEY);
        cache.evictSubscription(USER, SUB_GROUP);
        assertThat(read(balanceRequest()).misses()).containsExactlyInAnyOrder(CacheEntryKind.BALANCE,
                CacheEntryKind.PLATFORM_QUOTA, CacheEntryKind.KEY_USAGE);
        assertThat(read(subscriptionRequest()).misses()).contains(CacheEntryKind.SUBSCRIPTION);
        replaceBalance(usd("1"));
        CheckRequest openai = CheckRequest.builder(USER).platform("openai").build();
        assertThat(read(openai).complete()).isTrue();
    }

    @Test
    void evictingAnAbsentEntryIsANoOp() {
        cache.evictBalance(USER);
        cache.evictSubscription(USER, SUB_GROUP);
        cache.evictPlatformQuota(USER, PLATFORM);
        cache.evictKeyUsage(USER, API_KEY);
        assertThat(read(balanceRequest()).complete()).isFalse();
    }

    @Test
    void platformQuotaWithoutEffectiveLimitsIsRejectedAndNotCached() {
        cache.putBalance(USER, usd("1"));
        assertThatThrownBy(() -> cache.putPlatformQuota(PlatformQuotaRecord.empty(USER, PLATFORM)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(read(balanceRequest()).misses()).contains(CacheEntryKind.PLATFORM_QUOTA);
    }

    // ------------------------------------------------------------------ reservations

    @Test
    void reserveAdmitsAHoldTheBalanceCoversAndCountsRpm() {
        fill();
        ReserveView r = reserve(balanceRequest(), "h1", usd("4"));
        assertThat(r.admitted()).isTrue();
        assertThat(r.heldBefore()).isEqualTo(Holds.NONE);
        assertThat(r.view().complete()).isTrue();
        assertThat(r.view().rpmCounted()).isTrue();
        assertThat(r.view().userRpmCount()).isEqualTo(1);
        assertThat(r.view().groupRpmCount()).isEqualTo(1);
    }

    @Test
    void reserveReportsWhatOtherLiveHoldsHoldInEachScope() {
        fill();
        reserve(balanceRequest(), "h1", usd("4"));
        ReserveView r = reserve(balanceRequest(), "h2", usd("1"));
        long held = usd("4").nanos();
        assertThat(r.heldBefore()).isEqualTo(new Holds(held, 0, held, held));
    }

    @Test
    void reserveNeverHoldsMoreThanTheBalance() {
        fill();
        assertThat(reserve(balanceRequest(), "h1", usd("6")).admitted()).isTrue();
        assertThat(reserve(balanceRequest(), "h2", usd("6")).admitted()).isFalse();
        assertThat(reserve(balanceRequest(), "h3", usd("4")).admitted()).isTrue();
        assertThat(reserve(balanceRequest(), "h4", Money.ofNanos(1)).admitted()).isFalse();
    }

    @Test
    void reserveNeverHoldsBeyondAKeyWindowLimit() {
        fill();
        replaceBalance(usd("1000"));
        replaceKeyUsage(new KeyUsage(USER, API_KEY, new WindowUsage(usd("49").nanos(), clock.instant()),
                WindowUsage.EMPTY, WindowUsage.EMPTY));
        assertThat(reserve(balanceRequest(), "h1", usd("0.6")).admitted()).isTrue();
        assertThat(reserve(balanceRequest(), "h2", usd("0.5")).admitted()).isFalse();
        assertThat(reserve(balanceRequest(), "h3", usd("0.4")).admitted()).isTrue();
    }

    @Test
    void reserveNeverHoldsBeyondTheSubscriptionDailyLimit() {
        fill();
        assertThat(reserve(subscriptionRequest(), "h1", usd("1")).admitted()).isTrue();
        assertThat(reserve(subscriptionRequest(), "h2", usd("1")).admitted()).isTrue();
        assertThat(reserve(subscriptionRequest(), "h3", usd("1")).admitted()).isTrue();
        ReserveView refused = reserve(subscriptionRequest(), "h4", usd("1"));
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.heldBefore().subscription()).isEqualTo(usd("3").nanos());
    }

    @Test
    void reserveIsRefusedWhenAnEntryIsMissingAndCountsNoRpm() {
        cache.putBalance(USER, usd("10"));
        ReserveView r = reserve(balanceRequest(), "h1", usd("1"));
        assertThat(r.admitted()).isFalse();
        assertThat(r.view().misses()).containsExactlyInAnyOrder(CacheEntryKind.PLATFORM_QUOTA, CacheEntryKind.KEY_USAGE);
        assertThat(r.view().rpmCounted()).isFalse();
        fill();
        assertThat(counting(balanceRequest()).userRpmCount()).isEqualTo(1);
    }

    @Test
    void aRefusedReservationCountsNoRpmAndHoldsNothing() {
        fill();
        ReserveView refused = reserve(balanceRequest(), "h1", usd("11"));
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.view().rpmCounted()).isFalse();
        assertThat(counting(balanceRequest()).userRpmCount()).isEqualTo(1);
        assertThat(reserve(balanceRequest(), "h2", usd("10")).heldBefore()).isEqualTo(Holds.NONE);
    }

    @Test
    void reservingAHeldIdAgainIsAdmittedAndChangesNothing() {
        fill();
        assertThat(reserve(balanceRequest(), "h1", usd("6")).admitted()).isTrue();
        ReserveView again = reserve(balanceRequest(), "h1", usd("6"));
        assertThat(again.admitted()).isTrue();
        ReserveView next = reserve(balanceRequest(), "h2", usd("4"));
        assertThat(next.admitted()).isTrue();
        assertThat(next.heldBefore().balance()).isEqualTo(usd("6").nanos());
        assertThat(next.view().userRpmCount()).isEqualTo(2);
    }

    @Test
    void expiredHoldsStopCounting() {
        fill();
        reserve(balanceRequest(), "h1", usd("10"));
        assertThat(reserve(balanceRequest(), "h2", usd("1")).admitted()).isFalse();
        clock.advance(Duration.ofMinutes(5));
        ReserveView r = reserve(balanceRequest(), "h3", usd("10"));
        assertThat(r.admitted()).isTrue();
        assertThat(r.heldBefore()).isEqualTo(Holds.NONE);
    }

    @Test
    void aHoldStillCountsOneMillisecondBeforeItExpires() {
        fill();
        reserve(balanceRequest(), "h1", usd("10"));
        clock.advance(Duration.ofMinutes(5).minusMillis(1));
        ReserveView r = reserve(balanceRequest(), "h2", usd("1"));
        assertThat(r.admitted()).isFalse();
        assertThat(r.heldBefore().balance()).isEqualTo(usd("10").nanos());
    }

    @Test
    void holdsCountOnlyInTheirOwnScopes() {
        fill();
        replaceKeyUsage(KeyUsage.empty(USER, API_KEY + 1));
        reserve(subscriptionRequest(), "sub", usd("1"));
        CheckRequest otherKey = CheckRequest.builder(USER).apiKey(API_KEY + 1, KEY_LIMITS).group(GROUP, Limit.of(600))
                .platform(PLATFORM).noGroupRpmOverride().build();
        reserve(otherKey, "bal", usd("2"));
        ReserveView r = reserve(balanceRequest(), "h", usd("1"));
        assertThat(r.heldBefore()).isEqualTo(new Holds(usd("2").nanos(), 0, usd("2").nanos(), usd("1").nanos()));
    }

    @Test
    void holdsOfOtherUsersDoNotCount() {
        fill();
        cache.putBalance(USER + 1, usd("10"));
        cache.reserve(new CacheCheck(CheckRequest.builder(USER + 1).build(), RpmPlan.NONE, clock.instant(), SHANGHAI),
                hold("h1", usd("10")));
        ReserveView r = reserve(balanceRequest(), "h2", usd("10"));
        assertThat(r.admitted()).isTrue();
        assertThat(r.heldBefore()).isEqualTo(Holds.NONE);
    }

    @Test
    void aReleasedHoldIdCanBeReservedAgain() {
        fill();
        reserve(balanceRequest(), "h1", usd("10"));
        cache.release(USER, "h1");
        ReserveView again = reserve(balanceRequest(), "h1", usd("10"));
        assertThat(again.admitted()).isTrue();
        assertThat(again.view().userRpmCount()).isEqualTo(2);
        assertThat(reserve(balanceRequest(), "h2", Money.ofNanos(1)).admitted()).isFalse();
    }

    @Test
    void reserveIsRefusedForAnExpiredSubscription() {
        fill();
        replaceSubscription(new SubscriptionState(USER, SUB_GROUP, SubscriptionStatus.CANCELLED,
                clock.instant().plus(Duration.ofDays(30)), WindowUsage.EMPTY, WindowUsage.EMPTY, WindowUsage.EMPTY));
        ReserveView r = reserve(subscriptionRequest(), "h1", usd("0.01"));
        assertThat(r.admitted()).isFalse();
        assertThat(r.view().rpmCounted()).isFalse();
    }

    @Test
    void aSubscriptionIsNoLongerValidAtExactlyItsExpiryInstant() {
        fill();
        replaceSubscription(new SubscriptionState(USER, SUB_GROUP, SubscriptionStatus.ACTIVE, clock.instant(),
                WindowUsage.EMPTY, WindowUsage.EMPTY, WindowUsage.EMPTY));

        assertThat(counting(subscriptionRequest()).rpmCounted()).isFalse();
        ReserveView r = reserve(subscriptionRequest(), "h1", usd("0.01"));
        assertThat(r.admitted()).isFalse();
        assertThat(r.view().rpmCounted()).isFalse();

        replaceSubscription(new SubscriptionState(USER, SUB_GROUP, SubscriptionStatus.ACTIVE,
                clock.instant().plusMillis(1), WindowUsage.EMPTY, WindowUsage.EMPTY, WindowUsage.EMPTY));
        assertThat(counting(subscriptionRequest()).rpmCounted()).isTrue();
    }

    @Test
    void anUnlimitedSubscriptionTakesNoHoldInTheSubscriptionScope() {
        fill();
        CheckRequest unlimited = CheckRequest.builder(USER).userRpmLimit(Limit.of(1000))
                .subscriptionGroup(SUB_GROUP, PeriodLimits.UNLIMITED, Limit.of(600)).subscribed(true)
                .platform(PLATFORM).noGroupRpmOverride().build();

        assertThat(reserve(unlimited, "h1", usd("1000")).admitted()).isTrue();
        ReserveView second = reserve(unlimited, "h2", usd("1000"));
        assertThat(second.admitted()).isTrue();
        assertThat(second.heldBefore()).isEqualTo(Holds.NONE);

        // a capped request of the same group does not see the unlimited holds either
        ReserveView capped = reserve(subscriptionRequest(), "h3", usd("3"));
        assertThat(capped.admitted()).isTrue();
        assertThat(capped.heldBefore().subscription()).isZero();
    }

    @Test
    void settlingASubscriptionHoldCountsTheSubscriptionNotTheBalance() {
        fill();
        reserve(subscriptionRequest(), "h1", usd("1"));
        assertThat(cache.settle("h1", subscriptionUsage("req-1", usd("0.75")), clock.instant(), SHANGHAI)).isTrue();
        assertThat(read(subscriptionRequest()).subscription().daily())
                .isEqualTo(new WindowUsage(usd("0.75").nanos(), clock.instant()));
        assertThat(balance()).isEqualTo(usd("10"));
        ReserveView next = reserve(subscriptionRequest(), "h2", usd("2.25"));
        assertThat(next.admitted()).isTrue();
        assertThat(next.heldBefore()).isEqualTo(Holds.NONE);
    }

    @Test
    void concurrentReservationsNeverAdmitBeyondTheBalance() {
        fill();
        replaceBalance(usd("1"));
        AtomicInteger admitted = new AtomicInteger();
        Race.run(Race.THREADS, 10, (thread, op) -> {
            if (reserve(balanceRequest(), "t" + thread + "-" + op, usd("0.01")).admitted()) {
                admitted.incrementAndGet();
            }
        });
        assertThat(admitted.get()).isEqualTo(100);
        assertThat(counting(balanceRequest()).userRpmCount()).isEqualTo(101);
    }

    @Test
    void concurrentReservationsNeverAdmitBeyondAKeyWindowLimit() {
        fill();
        replaceBalance(usd("1000"));
        replaceKeyUsage(new KeyUsage(USER, API_KEY, new WindowUsage(usd("49").nanos(), clock.instant()),
                WindowUsage.EMPTY, WindowUsage.EMPTY));
        AtomicInteger admitted = new AtomicInteger();
        Race.run(Race.THREADS, 10, (thread, op) -> {
            if (reserve(balanceRequest(), "t" + thread + "-" + op, usd("0.01")).admitted()) {
                admitted.incrementAndGet();
            }
        });
        assertThat(admitted.get()).isEqualTo(100);
    }

    @Test
    void settleAppliesTheUsageAndDropsTheHold() {
        fill();
        reserve(balanceRequest(), "h1", usd("6"));
        assertThat(cache.settle("h1", usage("req-1", usd("5")), clock.instant(), SHANGHAI)).isTrue();
        assertThat(balance()).isEqualTo(usd("5"));
        ReserveView r = reserve(balanceRequest(), "h2", usd("5"));
        assertThat(r.admitted()).isTrue();
        assertThat(r.heldBefore()).isEqualTo(Holds.NONE);
    }

    @Test
    void settlingTwiceAppliesOnce() {
        fill();
        reserve(balanceRequest(), "h1", usd("6"));
        cache.settle("h1", usage("req-1", usd("5")), clock.instant(), SHANGHAI);
        assertThat(cache.settle("h1", usage("req-1", usd("5")), clock.instant(), SHANGHAI)).isFalse();
        assertThat(balance()).isEqualTo(usd("5"));
    }

    @Test
    void settlingAfterTheRequestWasAppliedAppliesNothingMoreButDropsTheHold() {
        fill();
        reserve(balanceRequest(), "h1", usd("6"));
        apply(usage("req-1", usd("5")));
        assertThat(cache.settle("h1", usage("req-1", usd("5")), clock.instant(), SHANGHAI)).isFalse();
        assertThat(balance()).isEqualTo(usd("5"));
        assertThat(reserve(balanceRequest(), "h2", usd("5")).heldBefore()).isEqualTo(Holds.NONE);
    }

    @Test
    void settlingAnExpiredHoldStillAppliesTheUsage() {
        fill();
        reserve(balanceRequest(), "h1", usd("6"));
        clock.advance(Duration.ofMinutes(10));
        assertThat(cache.settle("h1", usage("req-1", usd("5")), clock.instant(), SHANGHAI)).isTrue();
        assertThat(balance()).isEqualTo(usd("5"));
    }

    @Test
    void releaseDropsTheHoldOnce() {
        fill();
        reserve(balanceRequest(), "h1", usd("10"));
        assertThat(cache.release(USER, "h1")).isTrue();
        assertThat(cache.release(USER, "h1")).isFalse();
        ReserveView r = reserve(balanceRequest(), "h2", usd("10"));
        assertThat(r.admitted()).isTrue();
        assertThat(r.heldBefore()).isEqualTo(Holds.NONE);
        assertThat(balance()).isEqualTo(usd("10"));
    }

    @Test
    void releasingAnUnknownHoldIsFalse() {
        assertThat(cache.release(USER, "never-held")).isFalse();
    }

    @Test
    void releaseOnlyDropsTheOwnersHold() {
        fill();
        reserve(balanceRequest(), "h1", usd("10"));
        assertThat(cache.release(USER + 1, "h1")).isFalse();
        assertThat(reserve(balanceRequest(), "h2", usd("1")).admitted()).isFalse();
    }

    @Test
    void blankHoldIdsAreRejected() {
        assertThatThrownBy(() -> cache.release(USER, " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.settle("", usage("req-1", usd("1")), clock.instant(), SHANGHAI))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentSettlesApplyEachHoldOnce() {
        fill();
        replaceBalance(usd("100"));
        for (int i = 0; i < Race.OPS; i++) {
            reserve(balanceRequest(), "h" + i, usd("0.1"));
        }
        AtomicInteger applied = new AtomicInteger();
        Race.run((thread, op) -> {
            int i = (op + thread) % Race.OPS;
            if (cache.settle("h" + i, usage("req-" + i, usd("0.1")), clock.instant(), SHANGHAI)) {
                applied.incrementAndGet();
            }
        });
        assertThat(applied.get()).isEqualTo(Race.OPS);
        assertThat(balance()).isEqualTo(usd("100").minus(usd("0.1").times(Race.OPS)));
        assertThat(reserve(balanceRequest(), "after", usd("1")).heldBefore()).isEqualTo(Holds.NONE);
    }

    // ------------------------------------------------------------------ renew

    @Test
    void aRenewedHoldStillCountsAfterItsOldExpiry() {
        fill();
        reserve(balanceRequest(), "h1", usd("6"));
        assertThat(cache.renew(USER, "h1", clock.instant().plus(Duration.ofMinutes(20)))).isTrue();

        clock.advance(Duration.ofMinutes(10));
        ReserveView r = reserve(balanceRequest(), "h2", usd("5"));

        assertThat(r.admitted()).isFalse();
        assertThat(r.heldBefore().balance()).isEqualTo(usd("6").nanos());
        clock.advance(Duration.ofMinutes(10));
        assertThat(reserve(balanceRequest(), "h3", usd("10")).admitted()).isTrue();
    }

    @Test
    void renewingAfterSettleOrReleaseIsANoOp() {
        fill();
        reserve(balanceRequest(), "settled", usd("2"));
        reserve(balanceRequest(), "released", usd("2"));
        cache.settle("settled", usage("req-1", usd("2")), clock.instant(), SHANGHAI);
        cache.release(USER, "released");

        assertThat(cache.renew(USER, "settled", clock.instant().plus(Duration.ofHours(1)))).isFalse();
        assertThat(cache.renew(USER, "released", clock.instant().plus(Duration.ofHours(1)))).isFalse();

        ReserveView r = reserve(balanceRequest(), "h2", usd("8"));
        assertThat(r.admitted()).isTrue();
        assertThat(r.heldBefore()).isEqualTo(Holds.NONE);
    }

    @Test
    void aLapsedHoldCannotBeRenewed() {
        fill();
        reserve(balanceRequest(), "h1", usd("6"));
        clock.advance(Duration.ofMinutes(6));
        // the next reservation of the user purges the lapsed hold
        assertThat(reserve(balanceRequest(), "h2", usd("1")).heldBefore()).isEqualTo(Holds.NONE);

        assertThat(cache.renew(USER, "h1", clock.instant().plus(Duration.ofMinutes(5)))).isFalse();

        assertThat(reserve(balanceRequest(), "h3", usd("9")).admitted()).isTrue();
    }

    @Test
    void renewingAnotherUsersOrAnUnknownHoldIsFalse() {
        fill();
        reserve(balanceRequest(), "h1", usd("6"));

        assertThat(cache.renew(USER + 1, "h1", clock.instant().plus(Duration.ofHours(1)))).isFalse();
        assertThat(cache.renew(USER, "never-held", clock.instant().plus(Duration.ofHours(1)))).isFalse();

        clock.advance(Duration.ofMinutes(5));
        assertThat(reserve(balanceRequest(), "h2", usd("10")).admitted()).isTrue();
    }

    @Test
    void renewingToAnEarlierExpiryKeepsTheLaterOne() {
        fill();
        reserve(balanceRequest(), "h1", usd("6"));

        assertThat(cache.renew(USER, "h1", clock.instant().plus(Duration.ofMinutes(1)))).isTrue();

        clock.advance(Duration.ofMinutes(5).minusMillis(1));
        assertThat(reserve(balanceRequest(), "h2", usd("5")).admitted()).isFalse();
    }

    @Test
    void invalidRenewalsAreRejected() {
        assertThatThrownBy(() -> cache.renew(USER, " ", clock.instant())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.renew(USER, "h1", null)).isInstanceOf(NullPointerException.class);
    }
}
