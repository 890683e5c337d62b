package dev.quota.testkit.contract;

import static dev.quota.testkit.contract.Fixtures.SHANGHAI;
import static dev.quota.testkit.contract.Fixtures.TWO_POW_53;
import static dev.quota.testkit.contract.Fixtures.at;
import static dev.quota.testkit.contract.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.limit.KeyModelUsage;
import dev.quota.core.limit.KeyUsage;
import dev.quota.core.limit.KeyWindow;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.limit.QuotaWindows;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.limit.SubscriptionStatus;
import dev.quota.core.Money;
import dev.quota.core.spi.BalanceStore;
import dev.quota.core.spi.LedgerResult;
import dev.quota.core.spi.PlatformQuotaStore;
import dev.quota.core.spi.SubscriptionStore;
import dev.quota.core.spi.UsageLedger;
import dev.quota.core.spi.UsageLog;
import dev.quota.core.spi.WindowCounterStore;
import dev.quota.core.BillingMode;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageKey;
import dev.quota.core.usage.UsageFilter;
import dev.quota.core.window.WindowUsage;
import dev.quota.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link UsageLedger} passes: each event is appended to the usage log and applied to
 * every stored counter it touches (balance, subscription windows, user × platform windows, API key window
 * counters) exactly once per request id, with windows computed from {@code now} in the business zone.
 *
 * <p>Extend it and implement {@link #createStore()}, returning the ledger together with the stores it writes
 * to, so the suite can observe the effects through the ports; each call must return stores that see no data of
 * earlier tests (fresh instances, key prefix or schema), because the tests reuse ids.
 */
public abstract class UsageLedgerContract extends StoreContract<UsageLedgerContract.LedgerUnderTest> {

    private static final long USER = 42;
    private static final long GROUP = 7;
    private static final long SUB_GROUP = 8;
    private static final long API_KEY = 9;
    private static final String PLATFORM = "anthropic";


    /**
     * A ledger and the stores it writes to (same database, key prefix or in-memory instances).
     *
     * @param ledger the ledger under test
     * @param log the usage log it appends to
     * @param balances the balances it deducts
     * @param subscriptions the subscriptions it counts
     * @param platformQuotas the user × platform records it counts
     * @param windowCounters the window counters holding the API key windows
     */
    public record LedgerUnderTest(UsageLedger ledger, UsageLog log, BalanceStore balances,
                                  SubscriptionStore subscriptions, PlatformQuotaStore platformQuotas,
                                  WindowCounterStore windowCounters) {
        /**
         * Rejects nulls.
         *
         * @param ledger the ledger under test
         * @param log the usage log it appends to
         * @param balances the balances it deducts
         * @param subscriptions the subscriptions it counts
         * @param platformQuotas the user × platform records it counts
         * @param windowCounters the window counters holding the API key windows
         */
        public LedgerUnderTest {
            Objects.requireNonNull(ledger, "ledger");
            Objects.requireNonNull(log, "log");
            Objects.requireNonNull(balances, "balances");
            Objects.requireNonNull(subscriptions, "subscriptions");
            Objects.requireNonNull(platformQuotas, "platformQuotas");
            Objects.requireNonNull(windowCounters, "windowCounters");
        }
    }

    private MutableClock clock;

    /** Creates the contract; subclasses supply the ledger and its stores ({@link #createStore()}). */
    protected UsageLedgerContract() {
    }

    /** @return the ledger and stores of the running test ({@link #store()}) */
    private LedgerUnderTest t() {
        return store();
    }

    @BeforeEach
    void startClock() {
        clock = MutableClock.startingAt("2025-03-12T06:30:00Z"); // Wednesday 14:30 in Shanghai
    }

    private UsageEvent balanceEvent(String requestId, Money cost) {
        return UsageEvent.builder(requestId, USER).apiKeyId(API_KEY).groupId(GROUP).platform(PLATFORM).model("claude")
                .tokens(100, 20, 0, 0).totalCost(cost).actualCost(cost).occurredAt(clock.instant()).build();
    }

    private UsageEvent subscriptionEvent(String requestId, Money cost) {
        return UsageEvent.builder(requestId, USER).apiKeyId(API_KEY).groupId(SUB_GROUP)
                .billingMode(BillingMode.SUBSCRIPTION).platform(PLATFORM).model("claude")
                .totalCost(cost).actualCost(cost).occurredAt(clock.instant()).build();
    }

    private boolean apply(UsageEvent e) {
        return t().ledger().apply(e, clock.instant(), SHANGHAI);
    }

    private SubscriptionState subscription() {
        return new SubscriptionState(USER, SUB_GROUP, SubscriptionStatus.ACTIVE, clock.instant().plus(Duration.ofDays(30)),
                WindowUsage.EMPTY, WindowUsage.EMPTY, WindowUsage.EMPTY);
    }

    /** The key's record, read through {@link WindowCounterStore#findKeyUsage}; it must exist. */
    private KeyUsage keyUsage() {
        return t().windowCounters().findKeyUsage(USER, API_KEY).orElseThrow();
    }

    private WindowUsage keyWindow(KeyWindow w) {
        return keyUsage().usage(w);
    }

    @Test
    void applyAppendsTheEventToTheLog() {
        UsageEvent e = balanceEvent("req-1", usd("0.5"));
        assertThat(apply(e)).isTrue();
        assertThat(t().log().find(new UsageKey(USER, "req-1"))).contains(e);
    }

    @Test
    void balanceModeDeductsTheChargedCostFromTheBalance() {
        t().balances().set(USER, usd("10"));
        UsageEvent e = UsageEvent.builder("req-1", USER).totalCost(usd("2")).actualCost(usd("1.5"))
                .occurredAt(clock.instant()).build();
        apply(e);
        assertThat(t().balances().find(USER)).contains(usd("8.5"));
    }

    @Test
    void balanceModeCreatesTheBalanceAtZeroWhenAbsent() {
        apply(balanceEvent("req-1", usd("0.5")));
        assertThat(t().balances().find(USER)).contains(usd("-0.5"));
    }

    @Test
    void balanceModeAddsToThePlatformWindowsInTheBusinessZone() {
        apply(balanceEvent("req-1", usd("0.5")));
        PlatformQuotaRecord rec = t().platformQuotas().find(USER, PLATFORM).orElseThrow();
        long cost = usd("0.5").nanos();
        assertThat(rec.limits()).isNull();
        assertThat(rec.daily()).isEqualTo(new WindowUsage(cost, at("2025-03-11T16:00:00Z")));
        assertThat(rec.weekly()).isEqualTo(new WindowUsage(cost, at("2025-03-09T16:00:00Z")));
        assertThat(rec.monthly()).isEqualTo(new WindowUsage(cost, clock.instant()));
    }

    @Test
    void balanceModeWithoutPlatformTouchesNoPlatformRecord() {
        apply(UsageEvent.builder("req-1", USER).totalCost(usd("1")).occurredAt(clock.instant()).build());
        assertThat(t().platformQuotas().find(USER, PLATFORM)).isEmpty();
    }

    @Test
    void subscriptionModeAddsToTheSubscriptionAndLeavesBalanceAndPlatform() {
        t().balances().set(USER, usd("10"));
        t().subscriptions().save(subscription());
        apply(subscriptionEvent("req-1", usd("0.5")));
        assertThat(t().subscriptions().find(USER, SUB_GROUP))
                .contains(subscription().addUsage(usd("0.5").nanos(), clock.instant()));
        assertThat(t().balances().find(USER)).contains(usd("10"));
        assertThat(t().platformQuotas().find(USER, PLATFORM)).isEmpty();
    }

    @Test
    void subscriptionModeWithoutSubscriptionCreatesNoneButStillLogsTheEvent() {
        assertThat(apply(subscriptionEvent("req-1", usd("0.5")))).isTrue();
        assertThat(t().subscriptions().find(USER, SUB_GROUP)).isEmpty();
        assertThat(t().log().find(new UsageKey(USER, "req-1"))).isPresent();
    }

    @Test
    void apiKeyWindowsAreCountedInTheKeysRecord() {
        apply(balanceEvent("req-1", usd("0.5")));
        apply(subscriptionEvent("req-2", usd("0.25")));
        WindowUsage expected = new WindowUsage(usd("0.75").nanos(), clock.instant());
        for (KeyWindow w : KeyWindow.values()) {
            assertThat(keyWindow(w)).isEqualTo(expected);
        }
    }

    @Test
    void inputAndOutputTokensAreCountedInTheKeysMinuteOneByOneAndInBatches() {
        Instant minute = QuotaWindows.TPM.bucketStart(clock.instant());
        apply(balanceEvent("req-1", usd("0.5")));
        apply(subscriptionEvent("req-2", usd("0.25")));
        apply(balanceEvent("req-1", usd("0.5")));
        assertThat(keyTokens()).as("120 tokens; none in the subscription event; the replay once")
                .isEqualTo(new WindowUsage(120, minute));
        clock.set(minute.plus(Duration.ofMinutes(1)).plusSeconds(1));
        assertThat(t().ledger().applyAll(List.of(balanceEvent("req-3", usd("1")), balanceEvent("req-4", usd("1")),
                balanceEvent("req-1", usd("1"))), clock.instant(), SHANGHAI)).isEqualTo(2);
        assertThat(keyTokens()).as("a new minute").isEqualTo(new WindowUsage(240, minute.plus(Duration.ofMinutes(1))));
    }

    @Test
    void theKeysSpendOnEachModelIsCountedInARecordPerModel() {
        Instant first = clock.instant();
        apply(balanceEvent("req-1", usd("0.5")));
        apply(subscriptionEvent("req-2", usd("0.25")));
        String odd = "vendor:model ü 1d";
        assertThat(t().ledger().applyAll(List.of(modelEvent("req-3", odd, usd("1")), modelEvent("req-4", odd, usd("2")),
                balanceEvent("req-1", usd("9"))), clock.instant(), SHANGHAI)).isEqualTo(2);
        for (KeyWindow w : KeyWindow.values()) {
            assertThat(modelWindow("claude", w)).isEqualTo(new WindowUsage(usd("0.75").nanos(), first));
            assertThat(modelWindow(odd, w)).isEqualTo(new WindowUsage(usd("3").nanos(), first));
            assertThat(keyWindow(w).used()).isEqualTo(usd("3.75").nanos());
        }
        clock.advance(Duration.ofHours(5));
        apply(modelEvent("req-5", odd, usd("1")));
        assertThat(modelWindow(odd, KeyWindow.FIVE_HOURS)).isEqualTo(new WindowUsage(usd("1").nanos(), clock.instant()));
        assertThat(modelWindow(odd, KeyWindow.ONE_DAY)).isEqualTo(new WindowUsage(usd("4").nanos(), first));
        assertThat(UsageLedger.keyModelCounter(Long.MAX_VALUE, "m".repeat(UsageEvent.MAX_MODEL_LENGTH),
                KeyWindow.SEVEN_DAYS)).hasSizeLessThanOrEqualTo(200);
    }

    @Test
    void anEventWithoutAModelOrWithoutAKeyCountsNoModelWindow() {
        UsageEvent noModel = UsageEvent.builder("req-1", USER).apiKeyId(API_KEY).groupId(GROUP).platform(PLATFORM)
                .totalCost(usd("1")).actualCost(usd("1")).occurredAt(clock.instant()).build();
        UsageEvent noKey = UsageEvent.builder("req-2", USER).groupId(GROUP).platform(PLATFORM).model("claude")
                .totalCost(usd("1")).actualCost(usd("1")).occurredAt(clock.instant()).build();
        t().ledger().applyAll(List.of(noModel, noKey), clock.instant(), SHANGHAI);
        assertThat(keyWindow(KeyWindow.ONE_DAY).used()).isEqualTo(usd("1").nanos());
        assertThat(t().windowCounters().findKeyModelUsage(USER, API_KEY, "claude")).isEmpty();
    }

    private UsageEvent modelEvent(String requestId, String model, Money cost) {
        return UsageEvent.builder(requestId, USER).apiKeyId(API_KEY).groupId(GROUP).platform(PLATFORM).model(model)
                .totalCost(cost).actualCost(cost).occurredAt(clock.instant()).build();
    }

    private WindowUsage modelWindow(String model, KeyWindow w) {
        return t().windowCounters().findKeyModelUsage(USER, API_KEY, model).orElseThrow().usage(w);
    }

    private WindowUsage keyTokens() {
        return keyUsage().tokensMinute();
    }

    // --- the API key records: WindowCounterStore.findKeyUsage / findKeyModelUsage ---

    @Test
    void aKeysWindowsAndItsMinutesTokensAreReadInOneRecord() {
        Instant first = clock.instant();
        Instant minute = QuotaWindows.TPM.bucketStart(first);
        assertThat(t().windowCounters().findKeyUsage(USER, API_KEY)).as("nothing stored yet").isEmpty();
        t().ledger().applyAll(List.of(balanceEvent("req-1", usd("0.5")), balanceEvent("req-2", usd("0.25"))), first,
                SHANGHAI);
        WindowUsage spent = new WindowUsage(usd("0.75").nanos(), first);
        assertThat(t().windowCounters().findKeyUsage(USER, API_KEY))
                .contains(new KeyUsage(USER, API_KEY, spent, spent, spent, new WindowUsage(240, minute)));
        assertThat(t().windowCounters().findKeyUsage(USER, API_KEY + 1)).as("another key").isEmpty();
    }

    @Test
    void afterADayTheFiveHourAndOneDayWindowsRestartWhileTheSevenDayWindowKeepsItsStart() {
        Instant first = clock.instant();
        apply(balanceEvent("req-1", usd("1")));
        clock.advance(Duration.ofHours(3));
        apply(balanceEvent("req-2", usd("2")));
        clock.advance(Duration.ofHours(21));
        apply(balanceEvent("req-3", usd("4")));
        KeyUsage k = keyUsage();
        assertThat(k.fiveHours()).isEqualTo(new WindowUsage(usd("4").nanos(), clock.instant()));
        assertThat(k.oneDay()).isEqualTo(new WindowUsage(usd("4").nanos(), clock.instant()));
        assertThat(k.sevenDays()).isEqualTo(new WindowUsage(usd("7").nanos(), first));
        assertThat(k.fiveHours().effective(KeyWindow.FIVE_HOURS.window(), clock.instant().plus(Duration.ofHours(5)),
                SHANGHAI)).as("expired windows count as zero").isZero();
    }

    @Test
    void eachModelOfAKeyHasItsOwnRecordAndSoDoesTheSameModelOfAnotherKey() {
        Instant first = clock.instant();
        UsageEvent otherKey = UsageEvent.builder("req-3", USER).apiKeyId(API_KEY + 1).groupId(GROUP).platform(PLATFORM)
                .model("claude").totalCost(usd("4")).actualCost(usd("4")).occurredAt(clock.instant()).build();
        t().ledger().applyAll(List.of(modelEvent("req-1", "claude", usd("1")), modelEvent("req-2", "gpt", usd("2")),
                otherKey), clock.instant(), SHANGHAI);
        clock.advance(Duration.ofHours(6));
        apply(modelEvent("req-4", "gpt", usd("8")));

        WindowUsage one = new WindowUsage(usd("1").nanos(), first);
        assertThat(t().windowCounters().findKeyModelUsage(USER, API_KEY, "claude"))
                .contains(new KeyModelUsage(USER, API_KEY, "claude", one, one, one));
        assertThat(t().windowCounters().findKeyModelUsage(USER, API_KEY, "gpt")).contains(new KeyModelUsage(USER,
                API_KEY, "gpt", new WindowUsage(usd("8").nanos(), clock.instant()),
                new WindowUsage(usd("10").nanos(), first), new WindowUsage(usd("10").nanos(), first)));
        WindowUsage four = new WindowUsage(usd("4").nanos(), first);
        assertThat(t().windowCounters().findKeyModelUsage(USER, API_KEY + 1, "claude"))
                .contains(new KeyModelUsage(USER, API_KEY + 1, "claude", four, four, four));
        assertThat(t().windowCounters().findKeyModelUsage(USER, API_KEY, "Claude")).as("exact model names").isEmpty();
        assertThat(t().windowCounters().findKeyModelUsage(USER, API_KEY + 1, "gpt")).isEmpty();
    }

    @Test
    void theKeysMinuteRollsOverAndAnEventWithoutTokensLeavesItAsItIs() {
        Instant minute = QuotaWindows.TPM.bucketStart(clock.instant());
        apply(balanceEvent("req-1", usd("0.5")));
        clock.set(minute.plus(Duration.ofSeconds(59)));
        apply(balanceEvent("req-2", usd("0.5")));
        assertThat(keyTokens()).isEqualTo(new WindowUsage(240, minute));
        clock.set(minute.plus(Duration.ofMinutes(1)));
        apply(subscriptionEvent("req-3", usd("0.25")));
        assertThat(keyTokens()).as("no tokens: the minute is not reset").isEqualTo(new WindowUsage(240, minute));
        assertThat(keyWindow(KeyWindow.FIVE_HOURS).used()).isEqualTo(usd("1.25").nanos());
        clock.set(minute.plus(Duration.ofMinutes(2)).plusMillis(1));
        apply(balanceEvent("req-4", usd("0.5")));
        assertThat(keyTokens()).as("the next minute with tokens starts over")
                .isEqualTo(new WindowUsage(120, minute.plus(Duration.ofMinutes(2))));
        assertThat(keyTokens().effective(QuotaWindows.TPM, minute.plus(Duration.ofMinutes(3)), SHANGHAI)).isZero();
    }

    @Test
    void anExpiredFiveHourKeyWindowResetsWhileLongerOnesKeepCounting() {
        Instant first = clock.instant();
        apply(balanceEvent("req-1", usd("1")));
        clock.advance(Duration.ofHours(5));
        apply(balanceEvent("req-2", usd("2")));
        assertThat(keyWindow(KeyWindow.FIVE_HOURS)).isEqualTo(new WindowUsage(usd("2").nanos(), clock.instant()));
        assertThat(keyWindow(KeyWindow.ONE_DAY)).isEqualTo(new WindowUsage(usd("3").nanos(), first));
        assertThat(keyWindow(KeyWindow.SEVEN_DAYS)).isEqualTo(new WindowUsage(usd("3").nanos(), first));
    }

    @Test
    void windowsFollowNowNotTheEventTime() {
        UsageEvent late = UsageEvent.builder("req-1", USER).apiKeyId(API_KEY).platform(PLATFORM).totalCost(usd("1"))
                .occurredAt(clock.instant().minus(Duration.ofDays(10))).build();
        apply(late);
        assertThat(keyWindow(KeyWindow.FIVE_HOURS).start()).isEqualTo(clock.instant());
        assertThat(t().platformQuotas().find(USER, PLATFORM).orElseThrow().monthly().start()).isEqualTo(clock.instant());
    }

    @Test
    void aReplayedRequestIdChangesNothing() {
        t().balances().set(USER, usd("10"));
        assertThat(apply(balanceEvent("req-1", usd("1")))).isTrue();
        assertThat(apply(balanceEvent("req-1", usd("1")))).isFalse();
        assertThat(apply(balanceEvent("req-1", usd("5")))).isFalse();
        assertThat(t().balances().find(USER)).contains(usd("9"));
        assertThat(keyWindow(KeyWindow.FIVE_HOURS).used()).isEqualTo(usd("1").nanos());
        assertThat(t().platformQuotas().find(USER, PLATFORM).orElseThrow().daily().used()).isEqualTo(usd("1").nanos());
        assertThat(t().log().totals(UsageFilter.all()).requests()).isEqualTo(1);
    }

    @Test
    void noneModeStoresTheEventAndMovesNoCounter() {
        t().balances().set(USER, usd("10"));
        t().subscriptions().save(subscription());
        UsageEvent logged = UsageEvent.builder("req-none", USER).apiKeyId(API_KEY).groupId(SUB_GROUP)
                .billingMode(BillingMode.NONE).platform(PLATFORM).model("claude").tokens(100, 20, 0, 0)
                .totalCost(usd("0.5")).occurredAt(clock.instant()).build();

        assertThat(apply(logged)).isTrue();

        assertThat(t().log().find(new UsageKey(USER, "req-none"))).contains(logged);
        assertThat(t().log().totals(UsageFilter.all()).actualCost()).isEqualTo(usd("0.5"));
        assertThat(t().balances().find(USER)).contains(usd("10"));
        assertThat(t().subscriptions().find(USER, SUB_GROUP)).contains(subscription());
        assertThat(t().platformQuotas().find(USER, PLATFORM)).isEmpty();
        assertThat(t().windowCounters().findKeyUsage(USER, API_KEY)).isEmpty();
        assertThat(t().windowCounters().findKeyModelUsage(USER, API_KEY, "claude")).isEmpty();
        assertThat(apply(logged)).isFalse();
    }

    @Test
    void storeSaysWhatHappenedToEachEvent() {
        UsageEvent a = balanceEvent("a", usd("1"));
        UsageEvent b = balanceEvent("b", usd("1"));
        UsageEvent aOfOther = UsageEvent.builder("a", USER + 1).totalCost(usd("2")).occurredAt(clock.instant()).build();
        apply(a);

        LedgerResult r = t().ledger().store(List.of(b, a, aOfOther, b), clock.instant(), SHANGHAI);

        assertThat(r.stored()).containsExactly(b, aOfOther);
        assertThat(r.duplicates()).containsExactly(a, b);
        assertThat(r.rejected()).isEmpty();
        assertThat(t().balances().find(USER)).contains(usd("-2"));
        assertThat(t().balances().find(USER + 1)).contains(usd("-2"));
    }

    @Test
    void theSameRequestIdForTwoUsersIsStoredAndChargedForBoth() {
        long other = USER + 1;
        t().balances().set(USER, usd("10"));
        t().balances().set(other, usd("10"));
        UsageEvent mine = UsageEvent.builder("shared", USER).totalCost(usd("1")).occurredAt(clock.instant()).build();
        UsageEvent theirs = UsageEvent.builder("shared", other).totalCost(usd("2")).occurredAt(clock.instant()).build();
        assertThat(apply(mine)).isTrue();
        assertThat(apply(theirs)).isTrue();
        assertThat(t().ledger().applyAll(List.of(mine, theirs), clock.instant(), SHANGHAI)).isZero();
        assertThat(t().balances().find(USER)).contains(usd("9"));
        assertThat(t().balances().find(other)).contains(usd("8"));
        assertThat(t().log().totals(UsageFilter.all()).requests()).isEqualTo(2);
    }

    @Test
    void theSameRequestIdForTwoUsersInOneBatchChargesBothOnce() {
        long other = USER + 1;
        UsageEvent mine = UsageEvent.builder("shared", USER).totalCost(usd("1")).occurredAt(clock.instant()).build();
        UsageEvent theirs = UsageEvent.builder("shared", other).totalCost(usd("2")).occurredAt(clock.instant()).build();
        assertThat(t().ledger().applyAll(List.of(mine, theirs, mine, theirs), clock.instant(), SHANGHAI)).isEqualTo(2);
        assertThat(t().balances().find(USER)).contains(usd("-1"));
        assertThat(t().balances().find(other)).contains(usd("-2"));
        assertThat(t().log().totals(UsageFilter.all()).requests()).isEqualTo(2);
    }

    @Test
    void applyAllSkipsDuplicatesInsideAndAcrossBatches() {
        t().balances().set(USER, usd("10"));
        assertThat(t().ledger().applyAll(List.of(balanceEvent("a", usd("1")), balanceEvent("b", usd("1")),
                balanceEvent("a", usd("1"))), clock.instant(), SHANGHAI)).isEqualTo(2);
        assertThat(t().ledger().applyAll(List.of(balanceEvent("b", usd("1")), balanceEvent("c", usd("1"))),
                clock.instant(), SHANGHAI)).isEqualTo(1);
        assertThat(t().balances().find(USER)).contains(usd("7"));
        assertThat(t().log().totals(UsageFilter.all()).requests()).isEqualTo(3);
    }

    @Test
    void applyAllOfAnEmptyBatchAppliesNothing() {
        assertThat(t().ledger().applyAll(List.of(), clock.instant(), SHANGHAI)).isZero();
    }

    @Test
    void balancesAbove2Pow53NanosStayExact() {
        t().balances().set(USER, Money.ofNanos(TWO_POW_53 + 1));
        apply(UsageEvent.builder("req-1", USER).totalCost(Money.ofNanos(1)).occurredAt(clock.instant()).build());
        assertThat(t().balances().find(USER)).contains(Money.ofNanos(TWO_POW_53));
    }

    @Test
    void aThousandEventsOfTenCentsChargeExactlyOneHundredUsd() {
        t().balances().set(USER, usd("100"));
        List<UsageEvent> events = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            events.add(balanceEvent("req-" + i, usd("0.1")));
        }
        assertThat(t().ledger().applyAll(events, clock.instant(), SHANGHAI)).isEqualTo(1000);
        assertThat(t().balances().find(USER)).contains(Money.ZERO);
        assertThat(keyWindow(KeyWindow.SEVEN_DAYS).used()).isEqualTo(usd("100").nanos());
    }

    @Test
    void concurrentReplaysAreAppliedExactlyOnce() {
        t().balances().set(USER, usd("100"));
        AtomicInteger applied = new AtomicInteger();
        int distinct = Race.THREADS / 2 * Race.OPS;
        Race.run((thread, op) -> {
            String id = "req-" + ((thread % (Race.THREADS / 2)) * Race.OPS + op);
            if (apply(balanceEvent(id, usd("0.01")))) {
                applied.incrementAndGet();
            }
        });
        Money charged = usd("0.01").times(distinct);
        assertThat(applied.get()).isEqualTo(distinct);
        assertThat(t().balances().find(USER)).contains(usd("100").minus(charged));
        assertThat(keyWindow(KeyWindow.FIVE_HOURS).used()).isEqualTo(charged.nanos());
        assertThat(t().platformQuotas().find(USER, PLATFORM).orElseThrow().weekly().used()).isEqualTo(charged.nanos());
        assertThat(t().log().totals(UsageFilter.all()).actualCost()).isEqualTo(charged);
    }
}
