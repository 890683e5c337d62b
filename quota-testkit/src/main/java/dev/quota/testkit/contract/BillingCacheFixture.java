package dev.quota.testkit.contract;

import dev.quota.core.limit.KeyModelUsage;
import dev.quota.core.cache.KeyModelUsageEntry;
import static dev.quota.testkit.contract.Fixtures.SHANGHAI;
import static org.assertj.core.api.Assertions.assertThat;
import static dev.quota.testkit.contract.Fixtures.usd;

import dev.quota.core.spi.CacheEntry;
import dev.quota.core.cache.BalanceEntry;
import dev.quota.core.cache.KeyUsageEntry;
import dev.quota.core.cache.PlatformQuotaEntry;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.EligibilityEvaluator;
import dev.quota.core.limit.Holds;
import dev.quota.core.KeyLimits;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.Limit;
import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.limit.RpmPlan;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.limit.SubscriptionStatus;
import dev.quota.core.Money;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.spi.CheckView;
import dev.quota.core.spi.Hold;
import dev.quota.core.spi.ReserveView;
import dev.quota.core.BillingMode;
import dev.quota.core.UsageEvent;
import dev.quota.core.window.WindowUsage;
import dev.quota.testkit.MutableClock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fixture the {@link BillingCache} contracts share: the user, groups, key and platform every test works
 * with, a fresh cache and a {@link MutableClock} per test, and the requests, entries and usage events the tests
 * build. It holds no test of its own; the contracts split by behaviour extend it:
 * {@link BillingCacheCheckContract} (entries, misses and RPM), {@link BillingCacheUsageContract} (usage applied
 * once per request id), {@link BillingCacheRefillContract} (refills and evictions),
 * {@link BillingCacheReservationContract} (reservations and the holds they count) and
 * {@link BillingCacheHoldLifecycleContract} (settle, release and renew).
 *
 * <p>A backend runs every one of them from one test class that implements {@link BillingCacheBackend} and holds
 * each contract as an empty {@code @Nested} class; the fixture finds that class among the enclosing test
 * instances. Time comes from a {@link MutableClock} passed as {@code now}; nothing sleeps.
 */
@ExtendWith(EnclosingCacheBackend.class)
public abstract class BillingCacheFixture {

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
    /** The model of the usage events ({@link #usage}) and of the model cap ({@link #modelRequest}). */
    protected static final String MODEL = "claude";

    /** The field holding the schema version in every cache entry. */
    static final String SCHEMA_FIELD = "sv";
    static final KeyLimits KEY_LIMITS = new KeyLimits(Limit.of(usd("50")), Limit.of(usd("100")),
            Limit.of(usd("500")));
    static final PeriodLimits PLATFORM_LIMITS = new PeriodLimits(Limit.of(usd("10")), Limit.of(usd("50")),
            Limit.of(usd("100")));
    static final PeriodLimits SUB_LIMITS = new PeriodLimits(Limit.of(usd("3")), Limit.of(usd("10")),
            Limit.of(usd("30")));

    /** The backend of the running test: the enclosing test instance that implements it. */
    private BillingCacheBackend backend;
    /** The cache of the running test; the contracts use it directly. */
    BillingCache cache;
    /** The clock of the running test. */
    MutableClock clock;

    /** Only the contracts of this package extend the fixture; backends extend the contracts. */
    BillingCacheFixture() {
    }

    /**
     * Writes a raw cache entry into the running test's cache through its {@link BillingCacheBackend}.
     *
     * @param kind the entry kind
     * @param userId the owning user
     * @param qualifier see {@link BillingCacheBackend#putRawHash}
     * @param fields the hash fields, never empty
     */
    final void putRawHash(CacheEntryKind kind, long userId, String qualifier, Map<String, String> fields) {
        backend.putRawHash(cache, kind, userId, qualifier, fields);
    }

    /** @return the cache of the running test */
    protected BillingCache cache() {
        return cache;
    }

    /** @return the clock of the running test (starts at 2025-03-12T06:30:00Z, Wednesday 14:30 in Shanghai) */
    protected MutableClock clock() {
        return clock;
    }

    @BeforeEach
    void createCacheUnderTest(BillingCacheBackend backend) {
        this.backend = backend;
        cache = backend.createCache();
        clock = MutableClock.startingAt("2025-03-12T06:30:00Z");
    }

    // ------------------------------------------------------------------ helpers

    /** Replaces a cached balance unconditionally, as an operator would (refills never overwrite). */
    void replaceBalance(Money balance) {
        putRawHash(CacheEntryKind.BALANCE, USER, null, BalanceEntry.encode(balance));
    }

    void replaceKeyUsage(KeyUsage usage) {
        putRawHash(CacheEntryKind.KEY_USAGE, usage.userId(), Long.toString(usage.apiKeyId()), KeyUsageEntry.encode(usage));
    }

    void replaceKeyModelUsage(KeyModelUsage usage) {
        putRawHash(CacheEntryKind.KEY_MODEL_USAGE, usage.userId(), usage.apiKeyId() + ":" + usage.model(),
                KeyModelUsageEntry.encode(usage));
    }

    /** A balance request of {@link #balanceRequest()}'s shape with a cap on the key's spend on {@code model}. */
    static CheckRequest modelRequest(String model, KeyLimits cap) {
        return CheckRequest.builder(USER).userRpmLimit(Limit.of(1000)).apiKey(API_KEY, KEY_LIMITS)
                .modelCap(model, cap).group(GROUP, Limit.of(600)).platform(PLATFORM).noGroupRpmOverride().build();
    }

    void replacePlatformQuota(PlatformQuotaRecord entry) {
        putRawHash(CacheEntryKind.PLATFORM_QUOTA, entry.userId(), entry.platform(), PlatformQuotaEntry.encode(entry));
    }

    void replaceSubscription(SubscriptionState state) {
        putRawHash(CacheEntryKind.SUBSCRIPTION, state.userId(), Long.toString(state.groupId()),
                dev.quota.core.cache.SubscriptionEntry.encode(state));
    }

    static CheckRequest balanceRequest() {
        return CheckRequest.builder(USER).userRpmLimit(Limit.of(1000)).apiKey(API_KEY, KEY_LIMITS)
                .group(GROUP, Limit.of(600)).platform(PLATFORM).noGroupRpmOverride().build();
    }

    static CheckRequest subscriptionRequest() {
        return CheckRequest.builder(USER).userRpmLimit(Limit.of(1000)).apiKey(API_KEY, KEY_LIMITS)
                .subscriptionGroup(SUB_GROUP, SUB_LIMITS, Limit.of(600)).subscribed(true).platform(PLATFORM)
                .noGroupRpmOverride().build();
    }

    static RpmPlan plan(CheckRequest request) {
        return EligibilityEvaluator.inZone(SHANGHAI).rpmPlan(request, OptionalLong.empty());
    }

    /** A check that reads without counting RPM. */
    CheckView read(CheckRequest request) {
        return cache.check(new CacheCheck(request, RpmPlan.NONE, clock.instant(), SHANGHAI));
    }

    CheckView counting(CheckRequest request) {
        return cache.check(counted(request));
    }

    CacheCheck counted(CheckRequest request) {
        return new CacheCheck(request, plan(request), clock.instant(), SHANGHAI);
    }

    ReserveView reserve(CheckRequest request, String holdId, Money estimate) {
        return cache.reserve(counted(request), hold(holdId, estimate));
    }

    /** Fills the cache and holds {@code amount} dollars as hold {@code h1} of a balance request. */
    void holdOnAFilledCache(String amount) {
        fill();
        reserve(balanceRequest(), "h1", usd(amount));
    }

    /**
     * Asserts that a balance request holding {@code estimate} as {@code holdId} is admitted with nothing held.
     *
     * @return the reservation's answer
     */
    ReserveView assertAdmittedWithNothingHeld(String holdId, Money estimate) {
        ReserveView r = reserve(balanceRequest(), holdId, estimate);
        assertThat(r.admitted()).isTrue();
        assertThat(r.heldBefore()).isEqualTo(Holds.NONE);
        return r;
    }

    Hold hold(String holdId, Money estimate) {
        return new Hold(holdId, estimate, clock.instant().plus(Duration.ofMinutes(5)));
    }

    PlatformQuotaRecord emptyPlatform() {
        return new PlatformQuotaRecord(USER, PLATFORM, PLATFORM_LIMITS, WindowUsage.EMPTY, WindowUsage.EMPTY,
                WindowUsage.EMPTY);
    }

    SubscriptionState activeSubscription() {
        return new SubscriptionState(USER, SUB_GROUP, SubscriptionStatus.ACTIVE,
                clock.instant().plus(Duration.ofDays(30)), WindowUsage.EMPTY, WindowUsage.EMPTY, WindowUsage.EMPTY);
    }

    /** Caches every entry both modes need: 10 USD balance, empty platform quota, key usage, subscription. */
    void fill() {
        cache.put(CacheEntry.of(USER, usd("10")));
        cache.put(CacheEntry.of(emptyPlatform()));
        cache.put(CacheEntry.of(KeyUsage.empty(USER, API_KEY)));
        cache.put(CacheEntry.of(activeSubscription()));
    }

    UsageEvent usage(String requestId, Money cost) {
        return UsageEvent.builder(requestId, USER).apiKeyId(API_KEY).groupId(GROUP).platform(PLATFORM)
                .model("claude").totalCost(cost).actualCost(cost).occurredAt(clock.instant()).build();
    }

    UsageEvent subscriptionUsage(String requestId, Money cost) {
        return UsageEvent.builder(requestId, USER).apiKeyId(API_KEY).groupId(SUB_GROUP)
                .billingMode(BillingMode.SUBSCRIPTION).platform(PLATFORM).model("claude")
                .totalCost(cost).actualCost(cost).occurredAt(clock.instant()).build();
    }

    boolean apply(UsageEvent event) {
        return cache.applyUsage(event, clock.instant(), SHANGHAI);
    }

    Money balance() {
        return read(balanceRequest()).balance();
    }

    static Map<String, String> with(Map<String, String> fields, String field, String value) {
        Map<String, String> copy = new LinkedHashMap<>(fields);
        copy.put(field, value);
        return copy;
    }
}
