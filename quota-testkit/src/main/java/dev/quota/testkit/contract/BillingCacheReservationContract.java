package dev.quota.testkit.contract;

import dev.quota.core.KeyLimits;
import dev.quota.core.limit.KeyModelUsage;
import static dev.quota.testkit.contract.Fixtures.SHANGHAI;
import static dev.quota.testkit.contract.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.spi.CacheEntry;
import dev.quota.core.CheckRequest;
import dev.quota.core.limit.Holds;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.Limit;
import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.RpmPlan;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.limit.SubscriptionStatus;
import dev.quota.core.Money;
import dev.quota.core.spi.BillingCache;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.spi.ReserveView;
import dev.quota.core.window.WindowUsage;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link BillingCache#reserve}: a reservation is admitted only when every entry is present and
 * the limits cover it together with the other live holds of its scopes, counts RPM only when admitted, never
 * admits beyond a limit even with many concurrent reservers, and holds lapse on their own at their expiry.
 *
 * <p>Run it as an empty {@code @Nested} class of a test class that implements {@link BillingCacheBackend}; the
 * fixture is {@link BillingCacheFixture}.
 */
public abstract class BillingCacheReservationContract extends BillingCacheFixture {

    /** Creates the contract; subclasses supply the cache. */
    protected BillingCacheReservationContract() {
    }

    // ------------------------------------------------------------------ reservations

    @Test
    void reserveAdmitsAHoldTheBalanceCoversAndCountsRpm() {
        fill();
        ReserveView r = assertAdmittedWithNothingHeld("h1", usd("4"));
        assertThat(r.view().complete()).isTrue();
        assertThat(r.view().rpmCounted()).isTrue();
        assertThat(r.view().userRpmCount()).isEqualTo(1);
        assertThat(r.view().groupRpmCount()).isEqualTo(1);
    }

    @Test
    void reserveReportsWhatOtherLiveHoldsHoldInEachScope() {
        holdOnAFilledCache("4");
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
    void reserveNeverHoldsBeyondTheKeysCapOnTheModelAndCountsOnlyHoldsOfThatModel() {
        fill();
        replaceBalance(usd("1000"));
        KeyLimits cap = new KeyLimits(Limit.of(usd("3")), Limit.unlimited(), Limit.unlimited());
        replaceKeyModelUsage(new KeyModelUsage(USER, API_KEY, MODEL, new WindowUsage(usd("1").nanos(), clock.instant()),
                WindowUsage.EMPTY, WindowUsage.EMPTY));
        replaceKeyModelUsage(KeyModelUsage.empty(USER, API_KEY, "other"));
        assertThat(reserve(modelRequest(MODEL, cap), "h1", usd("1.5")).admitted()).isTrue();
        assertThat(reserve(modelRequest("other", cap), "h2", usd("2.5")).admitted()).as("another model").isTrue();
        ReserveView refused = reserve(modelRequest(MODEL, cap), "h3", usd("0.6"));
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.heldBefore().model()).as("h1 only").isEqualTo(usd("1.5").nanos());
        assertThat(refused.heldBefore().key()).as("both on the key").isEqualTo(usd("4").nanos());
        assertThat(reserve(modelRequest(MODEL, cap), "h4", usd("0.5")).admitted()).isTrue();
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
        cache.put(CacheEntry.of(USER, usd("10")));
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
        holdOnAFilledCache("10");
        assertThat(reserve(balanceRequest(), "h2", usd("1")).admitted()).isFalse();
        clock.advance(Duration.ofMinutes(5));
        assertAdmittedWithNothingHeld("h3", usd("10"));
    }

    @Test
    void aHoldStillCountsOneMillisecondBeforeItExpires() {
        holdOnAFilledCache("10");
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
        cache.put(CacheEntry.of(USER + 1, usd("10")));
        cache.reserve(new CacheCheck(CheckRequest.builder(USER + 1).build(), RpmPlan.NONE, clock.instant(), SHANGHAI),
                hold("h1", usd("10")));
        assertAdmittedWithNothingHeld("h2", usd("10"));
    }

    @Test
    void aReleasedHoldIdCanBeReservedAgain() {
        holdOnAFilledCache("10");
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
}
