package dev.quota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.Limit;
import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.PlatformQuotaDefaults;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.limit.SubscriptionState;
import dev.quota.core.limit.SubscriptionStatus;
import dev.quota.core.Money;
import dev.quota.core.usage.DailyStats;
import dev.quota.core.usage.HourlyUsage;
import dev.quota.core.usage.UsageTotals;
import dev.quota.core.window.Window;
import dev.quota.core.window.WindowUsage;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Behaviour of every store on a real database, beyond the shared contracts: SQL-specific edge cases. */
abstract class StoreSuite extends TablesSuite {

    static final String PREFIX = "st_";
    /** 2025-03-10 00:00 in Shanghai, a Monday. */
    static final Instant MONDAY_MIDNIGHT = Instant.parse("2025-03-09T16:00:00Z");

    StoreSuite() {
        super(PREFIX);
    }

    // --- balances -------------------------------------------------------------------------------------------

    @Test
    void balanceIsAbsentUntilSetAndThenReadBack() {
        assertThat(quota.balances().find(1)).isEmpty();

        quota.balances().set(1, Money.parse("12.345678901"));
        quota.balances().set(1, Money.parse("-0.5"));

        assertThat(quota.balances().find(1)).contains(Money.parse("-0.5"));
    }

    @Test
    void creditCreatesTheBalanceAtZeroFirst() {
        assertThat(quota.balances().credit(2, Money.ofNanos(7))).isEqualTo(Money.ofNanos(7));
        assertThat(quota.balances().credit(2, Money.ofNanos(5))).isEqualTo(Money.ofNanos(12));
    }

    @Test
    void deductOfAnAbsentBalanceChangesNothing() {
        assertThat(quota.balances().deduct(3, Money.ofNanos(1))).isEmpty();
        assertThat(quota.balances().find(3)).isEmpty();
    }

    @Test
    void deductMayGoNegative() {
        quota.balances().set(4, Money.ofNanos(10));

        assertThat(quota.balances().deduct(4, Money.ofNanos(25))).contains(Money.ofNanos(-15));
    }

    @Test
    void conditionalDeductStopsExactlyAtTheFloor() {
        quota.balances().set(5, Money.ofNanos(100));

        assertThat(quota.balances().deductIfAtLeast(5, Money.ofNanos(60), Money.ofNanos(40))).contains(Money.ofNanos(40));
        assertThat(quota.balances().deductIfAtLeast(5, Money.ofNanos(1), Money.ofNanos(40))).isEmpty();
        assertThat(quota.balances().find(5)).contains(Money.ofNanos(40));
        assertThat(quota.balances().deductIfAtLeast(6, Money.ofNanos(1), Money.ZERO)).isEmpty();
    }

    @Test
    void conditionalDeductWithAFloorBeyondAnyBalanceIsRefusedWithoutOverflow() {
        quota.balances().set(7, Money.MAX);

        assertThat(quota.balances().deductIfAtLeast(7, Money.ofNanos(2), Money.MAX.minus(Money.ofNanos(1)))).isEmpty();
        assertThat(quota.balances().find(7)).contains(Money.MAX);
    }

    @Test
    void creditBeyondTheBigintRangeIsAnArithmeticErrorAndChangesNothing() {
        quota.balances().set(8, Money.MAX.minus(Money.ofNanos(1)));

        assertThatThrownBy(() -> quota.balances().credit(8, Money.ofNanos(2))).isInstanceOf(ArithmeticException.class);
        assertThat(quota.balances().find(8)).contains(Money.MAX.minus(Money.ofNanos(1)));
    }

    @Test
    void negativeAmountsAreRejected() {
        assertThatThrownBy(() -> quota.balances().credit(1, Money.ofNanos(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> quota.balances().deduct(1, Money.ofNanos(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> quota.balances().deductIfAtLeast(1, Money.ofNanos(-1), Money.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // --- subscriptions --------------------------------------------------------------------------------------

    @Test
    void subscriptionRoundTripsWithNullWindowStarts() {
        SubscriptionState s = new SubscriptionState(1, 2, SubscriptionStatus.SUSPENDED, Events.T0.plusSeconds(86_400),
                new WindowUsage(5, Events.T0), WindowUsage.EMPTY, new WindowUsage(0, null));

        quota.subscriptions().save(s);

        assertThat(quota.subscriptions().find(1, 2)).contains(s);
        assertThat(quota.subscriptions().find(1, 3)).isEmpty();
    }

    @Test
    void subscriptionUsageResetsOnlyTheExpiredWindows() {
        Instant now = Events.T0;
        quota.subscriptions().save(new SubscriptionState(1, 2, SubscriptionStatus.ACTIVE, now.plus(Duration.ofDays(90)),
                new WindowUsage(100, now.minus(Duration.ofDays(1))),            // exactly one day: expired
                new WindowUsage(200, now.minus(Duration.ofDays(7)).plusMillis(1)), // one ms short of 7 days: live
                WindowUsage.EMPTY));                                              // never used

        SubscriptionState after = quota.subscriptions().addUsage(1, 2, Money.ofNanos(5), now).orElseThrow();

        assertThat(after.daily()).isEqualTo(new WindowUsage(5, now));
        assertThat(after.weekly()).isEqualTo(new WindowUsage(205, now.minus(Duration.ofDays(7)).plusMillis(1)));
        assertThat(after.monthly()).isEqualTo(new WindowUsage(5, now));
        assertThat(quota.subscriptions().find(1, 2)).contains(after);
    }

    @Test
    void subscriptionUsageOfAnUnknownSubscriptionChangesNothing() {
        assertThat(quota.subscriptions().addUsage(9, 9, Money.ofNanos(1), Events.T0)).isEmpty();
        assertThat(quota.subscriptions().find(9, 9)).isEmpty();
    }

    // --- window counters ------------------------------------------------------------------------------------

    @Test
    void rollingCounterAddsInsideItsWindowAndResetsAfterIt() {
        Window fiveHours = Window.rolling(Duration.ofHours(5));
        Instant t = Events.T0;

        assertThat(quota.windowCounters().add("k:1:5h", fiveHours, 3, t, ZoneOffset.UTC)).isEqualTo(new WindowUsage(3, t));
        assertThat(quota.windowCounters().add("k:1:5h", fiveHours, 4, t.plus(Duration.ofHours(5)).minusMillis(1),
                ZoneOffset.UTC)).isEqualTo(new WindowUsage(7, t));
        Instant later = t.plus(Duration.ofHours(5));
        assertThat(quota.windowCounters().add("k:1:5h", fiveHours, 2, later, ZoneOffset.UTC))
                .isEqualTo(new WindowUsage(2, later));
        assertThat(quota.windowCounters().find("k:1:5h")).contains(new WindowUsage(2, later));
    }

    @Test
    void calendarDayCounterResetsAtMidnightInTheBusinessZone() {
        Window day = Window.calendarDay();
        Instant beforeMidnight = MONDAY_MIDNIGHT.minusMillis(1);

        quota.windowCounters().add("d", day, 10, beforeMidnight, SHANGHAI);
        WindowUsage after = quota.windowCounters().add("d", day, 1, MONDAY_MIDNIGHT, SHANGHAI);

        assertThat(after).isEqualTo(new WindowUsage(1, MONDAY_MIDNIGHT));
    }

    @Test
    void counterNamesAreExactCaseAndTrailingSpaceSensitive() {
        Window w = Window.rolling(Duration.ofHours(1));
        quota.windowCounters().add("key", w, 1, Events.T0, ZoneOffset.UTC);
        quota.windowCounters().add("KEY", w, 2, Events.T0, ZoneOffset.UTC);
        quota.windowCounters().add("key ", w, 4, Events.T0, ZoneOffset.UTC);

        assertThat(quota.windowCounters().find("key").orElseThrow().used()).isEqualTo(1);
        assertThat(quota.windowCounters().find("KEY").orElseThrow().used()).isEqualTo(2);
        assertThat(quota.windowCounters().find("key ").orElseThrow().used()).isEqualTo(4);
    }

    @Test
    void counterNamesAndAmountsAreValidated() {
        Window w = Window.rolling(Duration.ofHours(1));
        assertThatThrownBy(() -> quota.windowCounters().add(" ", w, 1, Events.T0, ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> quota.windowCounters().add("x".repeat(201), w, 1, Events.T0, ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> quota.windowCounters().add("x", w, -1, Events.T0, ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(quota.windowCounters().add("x".repeat(200), w, 1, Events.T0, ZoneOffset.UTC).used()).isEqualTo(1);
    }

    // --- platform quotas ------------------------------------------------------------------------------------

    @Test
    void ownUnlimitedLimitsDifferFromNoOwnLimits() {
        quota.platformQuotas().setLimits(1, "anthropic", null);
        quota.platformQuotas().setLimits(1, "openai", PeriodLimits.UNLIMITED);
        PeriodLimits mixed = new PeriodLimits(Limit.disabled(), Limit.of(Money.ofUnits(5)), Limit.unlimited());
        quota.platformQuotas().setLimits(1, "gemini", mixed);

        assertThat(quota.platformQuotas().find(1, "anthropic")).contains(PlatformQuotaRecord.empty(1, "anthropic"));
        assertThat(quota.platformQuotas().find(1, "openai").orElseThrow().limits()).isEqualTo(PeriodLimits.UNLIMITED);
        assertThat(quota.platformQuotas().find(1, "gemini").orElseThrow().limits()).isEqualTo(mixed);
        assertThat(quota.platformQuotas().find(2, "gemini")).isEmpty();
    }

    @Test
    void settingLimitsKeepsUsage() {
        quota.platformQuotas().addUsage(1, "anthropic", Money.ofNanos(9), Events.T0, SHANGHAI);

        quota.platformQuotas().setLimits(1, "anthropic", PeriodLimits.UNLIMITED);

        PlatformQuotaRecord r = quota.platformQuotas().find(1, "anthropic").orElseThrow();
        assertThat(r.daily().used()).isEqualTo(9);
        assertThat(r.limits()).isEqualTo(PeriodLimits.UNLIMITED);
    }

    @Test
    void platformUsageResetsTheDayAtLocalMidnightAndTheWeekOnMonday() {
        Instant sunday = MONDAY_MIDNIGHT.minus(Duration.ofHours(2)); // Sunday 22:00 in Shanghai
        quota.platformQuotas().addUsage(1, "anthropic", Money.ofNanos(10), sunday, SHANGHAI);

        PlatformQuotaRecord r = quota.platformQuotas().addUsage(1, "anthropic", Money.ofNanos(3), MONDAY_MIDNIGHT, SHANGHAI);

        assertThat(r.daily()).isEqualTo(new WindowUsage(3, MONDAY_MIDNIGHT));
        assertThat(r.weekly()).isEqualTo(new WindowUsage(3, MONDAY_MIDNIGHT));
        assertThat(r.monthly()).isEqualTo(new WindowUsage(13, sunday));
        assertThat(r.limits()).isNull();
    }

    @Test
    void defaultsAreReplacedAsAWhole() {
        assertThat(quota.platformQuotas().defaults()).isEqualTo(PlatformQuotaDefaults.NONE);
        PeriodLimits five = new PeriodLimits(Limit.of(5), Limit.unlimited(), Limit.disabled());
        PlatformQuotaDefaults first = PlatformQuotaDefaults.builder().system("anthropic", five)
                .source("github", "openai", PeriodLimits.UNLIMITED).sourceWithoutLimits("oidc").build();

        quota.platformQuotas().replaceDefaults(first);
        assertThat(quota.platformQuotas().defaults()).isEqualTo(first);

        PlatformQuotaDefaults second = PlatformQuotaDefaults.builder().source("email", "anthropic", five).build();
        quota.platformQuotas().replaceDefaults(second);
        assertThat(quota.platformQuotas().defaults()).isEqualTo(second);

        quota.platformQuotas().replaceDefaults(PlatformQuotaDefaults.NONE);
        assertThat(quota.platformQuotas().defaults()).isEqualTo(PlatformQuotaDefaults.NONE);
    }

    @Test
    void platformArgumentsAreValidated() {
        assertThatThrownBy(() -> quota.platformQuotas().find(1, " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> quota.platformQuotas().addUsage(1, "p", Money.ofNanos(-1), Events.T0, SHANGHAI))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> quota.platformQuotas().setLimits(1, "p".repeat(129), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // --- RPM overrides --------------------------------------------------------------------------------------

    @Test
    void rpmOverridesAreSetReplacedAndRemoved() {
        assertThat(quota.rpmOverrides().find(1, 2)).isEmpty();
        quota.rpmOverrides().set(1, 2, 60);
        quota.rpmOverrides().set(1, 2, 0);
        quota.rpmOverrides().set(1, 3, 10);

        assertThat(quota.rpmOverrides().find(1, 2)).isEqualTo(OptionalLong.of(0));
        quota.rpmOverrides().remove(1, 2);
        quota.rpmOverrides().remove(1, 2);
        assertThat(quota.rpmOverrides().find(1, 2)).isEmpty();
        assertThat(quota.rpmOverrides().find(1, 3)).isEqualTo(OptionalLong.of(10));
        assertThatThrownBy(() -> quota.rpmOverrides().set(1, 2, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    // --- roll-ups -------------------------------------------------------------------------------------------

    @Test
    void rollupsAddUpPerHourUserAndModelIncludingWithinOneCall() {
        Instant h0 = Instant.parse("2025-03-09T12:00:00Z");
        Instant h1 = h0.plus(Duration.ofHours(1));
        quota.rollups().add(List.of(new HourlyUsage(h0, 1, "m", 1, 10, Money.ofNanos(100)),
                new HourlyUsage(h0, 1, "m", 2, 20, Money.ofNanos(200)),
                new HourlyUsage(h0, 1, "", 1, 1, Money.ofNanos(1))));
        quota.rollups().add(List.of(new HourlyUsage(h0, 1, "m", 1, 1, Money.ofNanos(1)),
                new HourlyUsage(h1, 2, "m", 5, 5, Money.ofNanos(5))));

        assertThat(quota.rollups().find(null, h0, h1.plusSeconds(1))).containsExactly(
                new HourlyUsage(h0, 1, "", 1, 1, Money.ofNanos(1)),
                new HourlyUsage(h0, 1, "m", 4, 31, Money.ofNanos(301)),
                new HourlyUsage(h1, 2, "m", 5, 5, Money.ofNanos(5)));
        assertThat(quota.rollups().find(2L, h0, h1)).isEmpty();
        assertThat(quota.rollups().deleteRange(h0, h1)).isEqualTo(2);
        assertThat(quota.rollups().find(null, h0, h1.plusSeconds(1))).hasSize(1);
    }

    // --- statistics -----------------------------------------------------------------------------------------

    @Test
    void dailyStatisticsAreReplacedAndKeptApartPerUser() {
        UsageTotals a = new UsageTotals(3, 2, 1, 10, 20, 0, 5, Money.ofNanos(30), Money.ofNanos(25),
                Money.ofNanos(10), Money.ofNanos(15), Money.ZERO, Money.ofNanos(5), 300);
        UsageTotals b = a.plus(a);
        LocalDate d1 = LocalDate.of(2024, 12, 31);
        LocalDate d2 = LocalDate.of(2025, 1, 1);

        quota.statistics().put(new DailyStats(d1, null, a));
        quota.statistics().put(new DailyStats(d1, null, b));
        quota.statistics().put(new DailyStats(d2, null, a));
        quota.statistics().put(new DailyStats(d2, 42L, b));

        assertThat(quota.statistics().find(d1, null)).contains(new DailyStats(d1, null, b));
        assertThat(quota.statistics().find(d1, 42L)).isEmpty();
        assertThat(quota.statistics().range(d1, d2.plusDays(1), null))
                .containsExactly(new DailyStats(d1, null, b), new DailyStats(d2, null, a));
        assertThat(quota.statistics().range(d1, d2.plusDays(1), 42L)).containsExactly(new DailyStats(d2, 42L, b));
        assertThat(quota.statistics().range(d1, d2, null)).containsExactly(new DailyStats(d1, null, b));
    }
}
