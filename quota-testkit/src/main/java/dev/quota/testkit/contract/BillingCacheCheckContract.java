package dev.quota.testkit.contract;

import dev.quota.core.limit.KeyModelUsage;
import dev.quota.core.cache.KeyModelUsageEntry;
import static dev.quota.testkit.contract.Fixtures.SHANGHAI;
import static dev.quota.testkit.contract.Fixtures.at;
import static dev.quota.testkit.contract.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.spi.CacheEntry;
import dev.quota.core.cache.BalanceEntry;
import dev.quota.core.cache.KeyUsageEntry;
import dev.quota.core.cache.PlatformQuotaEntry;
import dev.quota.core.CheckRequest;
import dev.quota.core.KeyLimits;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.Limit;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.limit.QuotaWindows;
import dev.quota.core.limit.RpmPlan;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.limit.SubscriptionStatus;
import dev.quota.core.Money;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.spi.CheckView;
import dev.quota.core.window.WindowUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link BillingCache#check}: every needed entry that is absent, of another schema version or
 * corrupt is a miss, the others are returned as cached; the planned RPM counters (user × group, then user) are
 * counted only when every entry is present and nothing denies, once per call even under many concurrent
 * checks, and start again each minute.
 *
 * <p>Run it as an empty {@code @Nested} class of a test class that implements {@link BillingCacheBackend}; the
 * fixture is {@link BillingCacheFixture}.
 */
public abstract class BillingCacheCheckContract extends BillingCacheFixture {

    /** Creates the contract; subclasses supply the cache. */
    protected BillingCacheCheckContract() {
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
        cache.put(CacheEntry.of(USER, usd("12.345678901")));
        cache.put(CacheEntry.of(platform));
        cache.put(CacheEntry.of(key));
        CheckView view = read(balanceRequest());
        assertThat(view.complete()).isTrue();
        assertThat(view.balance()).isEqualTo(usd("12.345678901"));
        assertThat(view.platformQuota()).isEqualTo(platform);
        assertThat(view.keyUsage()).isEqualTo(key);
        assertThat(view.subscription()).isNull();
    }

    @Test
    void onlyTheMissingEntriesAreReportedAsMisses() {
        cache.put(CacheEntry.of(USER, usd("1")));
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
        cache.put(CacheEntry.of(USER + 1, usd("5")));
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
        cache.put(CacheEntry.of(USER, usd("3")));
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
        cache.put(CacheEntry.of(USER, usd("10")));
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
    void rpmIsNotCountedWhileTheKeysTokensPerMinuteAreExhausted() {
        fill();
        Instant minute = QuotaWindows.TPM.bucketStart(clock.instant());
        replaceKeyUsage(new KeyUsage(USER, API_KEY, WindowUsage.EMPTY, WindowUsage.EMPTY, WindowUsage.EMPTY,
                new WindowUsage(1_000, minute)));
        assertThat(counting(withTokensPerMinute(1_000)).rpmCounted()).isFalse();
        assertThat(counting(withTokensPerMinute(1_001)).rpmCounted()).isTrue();
        clock.set(minute.plus(Duration.ofMinutes(1)));
        assertThat(counting(withTokensPerMinute(1_000)).rpmCounted()).as("the next minute starts at zero").isTrue();
    }

    @Test
    void aKeyWithOnlyATokensPerMinuteLimitNeedsItsUsageEntry() {
        cache.put(CacheEntry.of(USER, usd("10")));
        CheckRequest request = CheckRequest.builder(USER).apiKey(API_KEY, KeyLimits.UNLIMITED, Limit.of(10)).build();
        assertThat(read(request).misses()).containsExactly(CacheEntryKind.KEY_USAGE);
        cache.put(CacheEntry.of(KeyUsage.empty(USER, API_KEY)));
        assertThat(read(request).complete()).isTrue();
    }

    @Test
    void aModelCapReadsTheKeysEntryOfTheRequestsModelOnly() {
        fill();
        KeyLimits cap = new KeyLimits(Limit.of(usd("1")), Limit.unlimited(), Limit.unlimited());
        assertThat(read(modelRequest(MODEL, cap)).misses()).containsExactly(CacheEntryKind.KEY_MODEL_USAGE);
        KeyModelUsage usage = new KeyModelUsage(USER, API_KEY, MODEL, new WindowUsage(7, clock.instant()),
                WindowUsage.EMPTY, new WindowUsage(9, at("2025-03-10T00:00:00.001Z")));
        cache.put(CacheEntry.of(usage));
        CheckView view = read(modelRequest(MODEL, cap));
        assertThat(view.complete()).isTrue();
        assertThat(view.keyModelUsage()).isEqualTo(usage);
        assertThat(read(modelRequest("other:" + MODEL, cap)).misses()).as("another model, another entry")
                .containsExactly(CacheEntryKind.KEY_MODEL_USAGE);
        assertThat(read(balanceRequest()).keyModelUsage()).as("no cap, not read").isNull();
    }

    @Test
    void aForeignOrCorruptKeyModelEntryIsAMiss() {
        fill();
        KeyLimits cap = new KeyLimits(Limit.of(usd("1")), Limit.unlimited(), Limit.unlimited());
        Map<String, String> valid = KeyModelUsageEntry.encode(KeyModelUsage.empty(USER, API_KEY, MODEL));
        replaceKeyModelUsage(KeyModelUsage.empty(USER, API_KEY, MODEL));
        assertThat(read(modelRequest(MODEL, cap)).complete()).isTrue();
        putRawHash(CacheEntryKind.KEY_MODEL_USAGE, USER, API_KEY + ":" + MODEL, with(valid, SCHEMA_FIELD, "99"));
        assertThat(read(modelRequest(MODEL, cap)).misses()).containsExactly(CacheEntryKind.KEY_MODEL_USAGE);
        putRawHash(CacheEntryKind.KEY_MODEL_USAGE, USER, API_KEY + ":" + MODEL,
                with(valid, KeyUsageEntry.USAGE_1D, "1.5"));
        assertThat(read(modelRequest(MODEL, cap)).misses()).containsExactly(CacheEntryKind.KEY_MODEL_USAGE);
    }

    @Test
    void rpmIsNotCountedWhileTheKeysSpendOnTheModelIsAtItsCap() {
        fill();
        KeyLimits cap = new KeyLimits(Limit.unlimited(), Limit.of(usd("2")), Limit.unlimited());
        replaceKeyModelUsage(new KeyModelUsage(USER, API_KEY, MODEL, WindowUsage.EMPTY,
                new WindowUsage(usd("2").nanos(), clock.instant()), WindowUsage.EMPTY));
        replaceKeyModelUsage(KeyModelUsage.empty(USER, API_KEY, "other"));
        assertThat(counting(modelRequest(MODEL, cap)).rpmCounted()).isFalse();
        assertThat(counting(modelRequest("other", cap)).rpmCounted()).as("another model of the key").isTrue();
        assertThat(counting(modelRequest(MODEL, new KeyLimits(Limit.unlimited(), Limit.of(usd("2.000000001")),
                Limit.unlimited()))).rpmCounted()).isTrue();
        clock.advance(Duration.ofDays(1));
        assertThat(counting(modelRequest(MODEL, cap)).rpmCounted()).as("the day's window expired").isTrue();
    }

    private static CheckRequest withTokensPerMinute(long cap) {
        return CheckRequest.builder(USER).userRpmLimit(Limit.of(1000)).apiKey(API_KEY, KEY_LIMITS, Limit.of(cap))
                .group(GROUP, Limit.of(600)).platform(PLATFORM).noGroupRpmOverride().build();
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
}
