package dev.quota.testkit.contract;

import java.util.List;
import dev.quota.core.Limit;
import dev.quota.core.KeyLimits;
import dev.quota.core.limit.KeyModelUsage;
import static dev.quota.testkit.contract.Fixtures.TWO_POW_53;
import static dev.quota.testkit.contract.Fixtures.at;
import static dev.quota.testkit.contract.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.spi.CacheEntry;
import dev.quota.core.cache.BalanceEntry;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.limit.QuotaWindows;
import dev.quota.core.Money;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.spi.CheckView;
import dev.quota.core.BillingMode;
import dev.quota.core.UsageEvent;
import dev.quota.core.window.WindowUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link BillingCache#applyUsage}: usage is applied once per user × request id, to the entries
 * its billing mode moves and only when they exist (it never creates one), with expired windows reset from now
 * in the business zone, exactly to the nano, and exactly once per request id under concurrent replays.
 *
 * <p>Run it as an empty {@code @Nested} class of a test class that implements {@link BillingCacheBackend}; the
 * fixture is {@link BillingCacheFixture}.
 */
public abstract class BillingCacheUsageContract extends BillingCacheFixture {

    /** Creates the contract; subclasses supply the cache. */
    protected BillingCacheUsageContract() {
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
    void inputAndOutputTokensAreAddedToTheKeysMinuteWhichStartsAgainInTheNextMinute() {
        fill();
        Instant minute = QuotaWindows.TPM.bucketStart(clock.instant());
        apply(withTokens(usage("req-1", usd("0.1")), 300, 200));
        apply(withTokens(usage("req-2", usd("0.1")), 100, 0));
        apply(withTokens(usage("req-2", usd("0.1")), 100, 0));
        apply(usage("req-3", usd("0.1")));
        assertThat(read(balanceRequest()).keyUsage().tokensMinute()).as("cache tokens do not count; replays once")
                .isEqualTo(new WindowUsage(600, minute));
        clock.set(minute.plus(Duration.ofMinutes(1)).plusSeconds(5));
        apply(withTokens(usage("req-4", usd("0.1")), 7, 0));
        assertThat(read(balanceRequest()).keyUsage().tokensMinute())
                .isEqualTo(new WindowUsage(7, minute.plus(Duration.ofMinutes(1))));
        assertThat(read(balanceRequest()).keyUsage().fiveHours().used()).isEqualTo(usd("0.4").nanos());
    }

    private static UsageEvent withTokens(UsageEvent e, long input, long output) {
        return e.toBuilder().tokens(input, output, 1_000, 1_000).build();
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
        cache.put(CacheEntry.of(USER + 1, usd("10")));
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
    void usageAddsItsCostToTheKeysEntryOfItsModelOnceAndLeavesOtherModelsAlone() {
        fill();
        cache.put(CacheEntry.of(KeyModelUsage.empty(USER, API_KEY, MODEL)));
        cache.put(CacheEntry.of(KeyModelUsage.empty(USER, API_KEY, "other")));
        KeyLimits cap = new KeyLimits(Limit.of(usd("100")), Limit.of(usd("100")), Limit.of(usd("100")));
        Instant first = clock.instant();
        assertThat(apply(usage("req-1", usd("1.25")))).isTrue();
        assertThat(apply(subscriptionUsage("req-2", usd("0.5")))).isTrue();
        assertThat(apply(usage("req-1", usd("1.25")))).isFalse();
        WindowUsage expected = new WindowUsage(usd("1.75").nanos(), first);
        KeyModelUsage model = read(modelRequest(MODEL, cap)).keyModelUsage();
        assertThat(List.of(model.fiveHours(), model.oneDay(), model.sevenDays())).containsOnly(expected);
        assertThat(read(modelRequest("other", cap)).keyModelUsage()).isEqualTo(KeyModelUsage.empty(USER, API_KEY, "other"));
        clock.advance(Duration.ofHours(5));
        assertThat(apply(usage("req-3", usd("1")))).isTrue();
        model = read(modelRequest(MODEL, cap)).keyModelUsage();
        assertThat(model.fiveHours()).as("a new 5 h window").isEqualTo(new WindowUsage(usd("1").nanos(), clock.instant()));
        assertThat(model.oneDay()).isEqualTo(new WindowUsage(usd("2.75").nanos(), first));
    }

    @Test
    void usageOfAModelWhoseEntryIsAbsentRefusesTheRefillThatMayLackIt() {
        fill();
        assertThat(apply(usage("req-1", usd("1")))).isTrue();
        assertThat(cache.put(CacheEntry.of(KeyModelUsage.empty(USER, API_KEY, MODEL)))).as("dirty").isFalse();
        assertThat(cache.put(CacheEntry.of(KeyModelUsage.empty(USER, API_KEY, "other")))).as("untouched").isTrue();
        UsageEvent logged = UsageEvent.builder("req-none", USER).apiKeyId(API_KEY).billingMode(BillingMode.NONE)
                .model("logged").totalCost(usd("1")).occurredAt(clock.instant()).build();
        assertThat(apply(logged)).isTrue();
        assertThat(cache.put(CacheEntry.of(KeyModelUsage.empty(USER, API_KEY, "logged"))))
                .as("logged-only usage moves no counter").isTrue();
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
        cache.put(CacheEntry.of(USER, usd("10")));
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
}
