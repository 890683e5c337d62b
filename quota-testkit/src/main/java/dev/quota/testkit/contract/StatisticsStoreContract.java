package dev.quota.testkit.contract;

import static dev.quota.testkit.contract.Fixtures.TWO_POW_53;
import static dev.quota.testkit.contract.Fixtures.at;
import static dev.quota.testkit.contract.Fixtures.event;
import static dev.quota.testkit.contract.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.Money;
import dev.quota.core.spi.StatisticsStore;
import dev.quota.core.usage.DailyStats;
import dev.quota.core.usage.StatsSummary;
import dev.quota.core.usage.UserCounts;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageTotals;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link StatisticsStore} passes: one day per date for the global statistics and per
 * user, every field (also retried requests and distinct models and platforms) round-trips, writing replaces,
 * ranges are half-open and ordered by date, and one summary is kept with its cutoff day. Extend it and implement
 * {@link #createStore()}.
 */
public abstract class StatisticsStoreContract extends StoreContract<StatisticsStore> {

    private static final long USER = 42L;
    private static final LocalDate DAY = LocalDate.of(2025, 3, 10);

    private static UsageTotals totals(String cost, int requests) {
        UsageTotals t = UsageTotals.ZERO;
        for (int i = 0; i < requests; i++) {
            UsageEvent e = event("r" + i, USER, usd(cost), at("2025-03-10T08:00:00Z"))
                    .tokens(10, 20, 3, 4).responseTimeMs(250).httpStatus(i % 3 == 0 ? 500 : 200).build();
            t = t.plus(UsageTotals.of(e));
        }
        return t;
    }

    @Test
    void findIsEmptyForADayNotAggregatedYet() {
        assertThat(store().find(DAY, null)).isEmpty();
        assertThat(store().find(DAY, USER)).isEmpty();
    }

    @Test
    void putThenFindReturnsTheGlobalDay() {
        DailyStats stats = new DailyStats(DAY, null, totals("0.25", 4));
        store().put(stats);
        assertThat(store().find(DAY, null)).contains(stats);
    }

    @Test
    void putThenFindReturnsAUsersDay() {
        DailyStats stats = new DailyStats(DAY, USER, totals("0.25", 4));
        store().put(stats);
        assertThat(store().find(DAY, USER)).contains(stats);
    }

    @Test
    void globalAndPerUserStatisticsAreSeparate() {
        DailyStats global = new DailyStats(DAY, null, totals("1", 10));
        DailyStats user = new DailyStats(DAY, USER, totals("1", 3));
        store().put(global);
        store().put(user);
        assertThat(store().find(DAY, null)).contains(global);
        assertThat(store().find(DAY, USER)).contains(user);
        assertThat(store().find(DAY, USER + 1)).isEmpty();
    }

    @Test
    void putReplacesTheDay() {
        store().put(new DailyStats(DAY, USER, totals("1", 10)));
        DailyStats rerun = new DailyStats(DAY, USER, totals("0.5", 2));
        store().put(rerun);
        assertThat(store().find(DAY, USER)).contains(rerun);
    }

    @Test
    void aDayWithoutUsageIsStoredAsZero() {
        DailyStats empty = new DailyStats(DAY, null, UsageTotals.ZERO);
        store().put(empty);
        assertThat(store().find(DAY, null)).contains(empty);
    }

    @Test
    void rangeIsHalfOpenAndOrderedByDate() {
        DailyStats d0 = new DailyStats(DAY, USER, totals("1", 1));
        DailyStats d1 = new DailyStats(DAY.plusDays(1), USER, totals("1", 2));
        DailyStats d2 = new DailyStats(DAY.plusDays(2), USER, totals("1", 3));
        store().put(d2);
        store().put(d0);
        store().put(d1);
        store().put(new DailyStats(DAY.plusDays(1), null, totals("1", 5)));
        store().put(new DailyStats(DAY.plusDays(1), USER + 1, totals("1", 5)));
        assertThat(store().range(DAY, DAY.plusDays(2), USER)).containsExactly(d0, d1);
        assertThat(store().range(DAY.plusDays(1), DAY.plusDays(10), USER)).containsExactly(d1, d2);
    }

    @Test
    void rangeOfTheGlobalStatisticsExcludesUsers() {
        DailyStats global = new DailyStats(DAY, null, totals("1", 5));
        store().put(global);
        store().put(new DailyStats(DAY, USER, totals("1", 2)));
        assertThat(store().range(DAY, DAY.plusDays(1), null)).containsExactly(global);
    }

    @Test
    void rangeWithoutDaysIsEmpty() {
        assertThat(store().range(DAY, DAY.plusDays(7), null)).isEqualTo(List.of());
    }

    @Test
    void amountsAbove2Pow53NanosStayExact() {
        UsageTotals big = new UsageTotals(1, 1, 0, 0, 0, 0, 0, Money.ofNanos(TWO_POW_53 + 1),
                Money.ofNanos(TWO_POW_53 + 1), Money.ofNanos(TWO_POW_53 + 1), Money.ZERO, Money.ZERO, Money.ZERO, 0);
        store().put(new DailyStats(DAY, null, big));
        assertThat(store().find(DAY, null).orElseThrow().totals().actualCost()).isEqualTo(Money.ofNanos(TWO_POW_53 + 1));
    }

    @Test
    void retriedRequestsAndDistinctCountsRoundTrip() {
        DailyStats global = new DailyStats(DAY, null, totals("1", 7), 3, 5, 2);
        DailyStats user = new DailyStats(DAY, USER, totals("1", 4), 4, 1, 1);
        store().put(global);
        store().put(user);
        assertThat(store().find(DAY, null)).contains(global);
        assertThat(store().range(DAY, DAY.plusDays(1), USER)).containsExactly(user);
    }

    @Test
    void putReplacesTheRetriedRequestsAndDistinctCounts() {
        store().put(new DailyStats(DAY, null, totals("1", 7), 3, 5, 2));
        DailyStats rerun = new DailyStats(DAY, null, totals("1", 2), 0, 1, 1);
        store().put(rerun);
        assertThat(store().find(DAY, null)).contains(rerun);
    }

    @Test
    void findSummaryIsEmptyBeforeTheFirstPut() {
        assertThat(store().findSummary()).isEmpty();
    }

    @Test
    void putSummaryKeepsOneSummaryWithItsCutoffDay() {
        StatsSummary first = new StatsSummary(DAY, totals("0.5", 6), 2, new UserCounts(10, 7, 20, 15));
        store().putSummary(first);
        assertThat(store().findSummary()).contains(first);

        StatsSummary next = new StatsSummary(DAY.plusDays(1), totals("0.5", 9), 3, new UserCounts(11, 8, 21, 16));
        store().putSummary(next);
        assertThat(store().findSummary()).contains(next);
    }

    @Test
    void summaryAmountsAbove2Pow53NanosStayExact() {
        UsageTotals big = new UsageTotals(3, 2, 1, 1L << 40, 5, 6, 7, Money.ofNanos(TWO_POW_53 + 1),
                Money.ofNanos(TWO_POW_53 + 3), Money.ofNanos(1), Money.ofNanos(2), Money.ofNanos(3), Money.ofNanos(4),
                999);
        StatsSummary summary = new StatsSummary(DAY, big, 1, UserCounts.NONE);
        store().putSummary(summary);
        assertThat(store().findSummary()).contains(summary);
    }

    @Test
    void putAllStoresEveryDayAndReplacesStoredOnes() {
        store().put(new DailyStats(DAY, USER, totals("1", 9), 1, 1, 1));
        DailyStats global = new DailyStats(DAY, null, totals("1", 7), 3, 5, 2);
        DailyStats user = new DailyStats(DAY, USER, totals("1", 4), 4, 1, 1);
        DailyStats other = new DailyStats(DAY, USER + 1, totals("1", 3), 0, 2, 1);
        DailyStats nextDay = DailyStats.zero(DAY.plusDays(1), USER);

        store().putAll(List.of(other, global, nextDay, user));

        assertThat(store().find(DAY, null)).contains(global);
        assertThat(store().range(DAY, DAY.plusDays(2), USER)).containsExactly(user, nextDay);
        assertThat(store().find(DAY, USER + 1)).contains(other);
    }
}
