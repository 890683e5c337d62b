package dev.quota.testkit.stats;

import static dev.quota.testkit.stats.StatsData.EVENTS;
import static dev.quota.testkit.stats.StatsData.MAR_08;
import static dev.quota.testkit.stats.StatsData.MAR_09;
import static dev.quota.testkit.stats.StatsData.MAR_09_ALL;
import static dev.quota.testkit.stats.StatsData.MAR_09_USER_1;
import static dev.quota.testkit.stats.StatsData.MAR_09_USER_2;
import static dev.quota.testkit.stats.StatsData.MAR_10;
import static dev.quota.testkit.stats.StatsData.MAR_10_ALL;
import static dev.quota.testkit.stats.StatsData.MAR_10_USER_1;
import static dev.quota.testkit.stats.StatsData.MAR_10_USER_2;
import static dev.quota.testkit.stats.StatsData.MAR_11;
import static dev.quota.testkit.stats.StatsData.MAR_11_ALL;
import static dev.quota.testkit.stats.StatsData.NOW;
import static dev.quota.testkit.stats.StatsData.SHANGHAI;
import static dev.quota.testkit.stats.StatsData.local;
import static dev.quota.testkit.stats.StatsData.tiny;
import static dev.quota.testkit.stats.StatsData.tinyPerUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.stats.StatsAggregator;
import dev.quota.core.usage.DailyStats;
import dev.quota.core.usage.UsageTotals;
import dev.quota.testkit.InMemoryQuota;
import dev.quota.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link StatsAggregator} on the in-memory fakes, against the hand-computed {@link StatsData}. */
class StatsAggregatorTest {

    private MutableClock clock;
    private InMemoryQuota quota;
    private StatsAggregator aggregator;

    @BeforeEach
    void seed() {
        clock = MutableClock.at(NOW, SHANGHAI);
        quota = InMemoryQuota.create(clock, SHANGHAI);
        quota.usageLog().appendAll(EVENTS);
        aggregator = StatsAggregator.create(quota.usageLog(), quota.statistics(), clock, SHANGHAI);
    }

    private static StatsAggregator aggregatorIn(InMemoryQuota q, ZoneId zone) {
        return StatsAggregator.create(q.usageLog(), q.statistics(), q.clock(), zone);
    }

    @Test
    void aggregateDayStoresAndReturnsTheGlobalTotalsOfTheLocalDay() {
        DailyStats day = aggregator.aggregateDay(MAR_09);

        assertThat(day.totals()).isEqualTo(MAR_09_ALL);
        assertThat(quota.statistics().find(MAR_09, null)).contains(day);
    }

    @Test
    void aggregateDayCountsTheLastMillisecondBeforeLocalMidnightAndNotMidnightItself() {
        assertThat(aggregator.aggregateDay(MAR_09).totals().errorRequests())
                .as("e3 at 23:59:59.999 is the only error of 03-09").isEqualTo(1);
        assertThat(aggregator.aggregateDay(MAR_10).totals()).isEqualTo(MAR_10_ALL);
    }

    @Test
    void aggregateDayStoresTheStatisticsOfEveryUserWithUsage() {
        aggregator.aggregateDay(MAR_09);
        aggregator.aggregateDay(MAR_10);

        assertThat(quota.statistics().find(MAR_09, 1L)).map(DailyStats::totals).contains(MAR_09_USER_1);
        assertThat(quota.statistics().find(MAR_09, 2L)).map(DailyStats::totals).contains(MAR_09_USER_2);
        assertThat(quota.statistics().find(MAR_10, 1L)).map(DailyStats::totals).contains(MAR_10_USER_1);
        assertThat(quota.statistics().find(MAR_10, 2L)).map(DailyStats::totals).contains(MAR_10_USER_2);
        assertThat(quota.statistics().find(MAR_09, 3L)).isEmpty();
    }

    @Test
    void aggregateDayOfADayWithoutUsageStoresZeroGlobalStatisticsAndNoUserRows() {
        DailyStats day = aggregator.aggregateDay(MAR_08);

        assertThat(day.totals()).isEqualTo(UsageTotals.ZERO);
        assertThat(quota.statistics().find(MAR_08, null)).contains(day);
        assertThat(quota.statistics().find(MAR_08, 1L)).isEmpty();
    }

    @Test
    void reRunningAggregateDayReplacesInsteadOfAdding() {
        aggregator.aggregateDay(MAR_09);
        aggregator.aggregateDay(MAR_09);

        assertThat(quota.statistics().find(MAR_09, null)).map(DailyStats::totals).contains(MAR_09_ALL);
        assertThat(quota.statistics().find(MAR_09, 1L)).map(DailyStats::totals).contains(MAR_09_USER_1);
    }

    @Test
    void reRunningAggregateDayPicksUpLateEvents() {
        aggregator.aggregateDay(MAR_09);
        quota.usageLog().append(tiny("late", local("2025-03-09T12:00:00"), 3));

        DailyStats day = aggregator.aggregateDay(MAR_09);

        assertThat(day.totals().requests()).isEqualTo(4);
        assertThat(quota.statistics().find(MAR_09, null)).contains(day);
        assertThat(quota.statistics().find(MAR_09, 3L)).map(d -> d.totals().requests()).contains(1L);
    }

    @Test
    void aggregateDayFindsUsersBeyondTheFirstPageOfTheLedger() {
        InMemoryQuota q = InMemoryQuota.create(MutableClock.at(NOW, SHANGHAI), SHANGHAI);
        q.usageLog().appendAll(tinyPerUser(1500, local("2025-03-09T12:00:00")));

        DailyStats day = aggregatorIn(q, SHANGHAI).aggregateDay(MAR_09);

        assertThat(day.totals().requests()).isEqualTo(1500);
        for (long u = 1; u <= 1500; u++) {
            assertThat(q.statistics().find(MAR_09, u)).as("user %d", u)
                    .map(d -> d.totals().requests()).contains(1L);
        }
    }

    @Test
    void aggregateDayAcceptsTodayAsAPartialDay() {
        assertThat(aggregator.aggregateDay(MAR_11).totals()).isEqualTo(MAR_11_ALL);
    }

    @Test
    void aggregateDayRejectsNullFutureAndPreFloorDates() {
        assertThatThrownBy(() -> aggregator.aggregateDay(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("date");
        assertThatThrownBy(() -> aggregator.aggregateDay(MAR_11.plusDays(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("date");
        assertThatThrownBy(() -> aggregator.aggregateDay(StatsAggregator.EARLIEST_DATE.minusDays(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("date");
        assertThat(quota.statistics().range(LocalDate.of(1999, 1, 1), LocalDate.of(2100, 1, 1), null)).isEmpty();
    }

    /**
     * In New York 2026-03-08 runs from 05:00Z (EST) to 2026-03-09T04:00Z (EDT), 23 hours; 2026-11-01 from 04:00Z
     * (EDT) to 2026-11-02T05:00Z (EST), 25 hours. Each event of the edge millisecond pairs falls on its side.
     */
    @ParameterizedTest(name = "{0}: from {2} to {3}")
    @CsvSource({
        "2026-03-08, 2026-03-10T12:00:00Z, 2026-03-08T05:00:00Z, 2026-03-09T04:00:00Z",
        "2026-11-01, 2026-11-03T12:00:00Z, 2026-11-01T04:00:00Z, 2026-11-02T05:00:00Z",
    })
    void aggregateDayCoversExactlyTheHoursOfADstChangeDay(LocalDate date, String clockAt, Instant start,
            Instant end) {
        ZoneId ny = ZoneId.of("America/New_York");
        InMemoryQuota q = InMemoryQuota.create(MutableClock.startingAt(clockAt, ny), ny);
        q.usageLog().appendAll(List.of(
                tiny("before", start.minusMillis(1), 1),
                tiny("first", start, 1),
                tiny("last", end.minusMillis(1), 2),
                tiny("after", end, 2)));

        DailyStats day = aggregatorIn(q, ny).aggregateDay(date);

        assertThat(day.totals().requests()).isEqualTo(2);
        assertThat(q.statistics().find(date, 1L)).map(d -> d.totals().requests()).contains(1L);
        assertThat(q.statistics().find(date, 2L)).map(d -> d.totals().requests()).contains(1L);
    }

    @Test
    void summaryIsTheStoredPastDaysPlusTodayLive() {
        aggregator.aggregateDay(MAR_09);
        aggregator.aggregateDay(MAR_10);

        assertThat(aggregator.summary().allTime()).isEqualTo(MAR_09_ALL.plus(MAR_10_ALL).plus(MAR_11_ALL));
    }

    @Test
    void summaryLeavesOutPastDaysThatWereNeverAggregated() {
        aggregator.aggregateDay(MAR_10);

        assertThat(aggregator.summary().allTime()).isEqualTo(MAR_10_ALL.plus(MAR_11_ALL));
    }

    @Test
    void summaryReadsTodayFromTheLedgerNotFromAStoredToday() {
        aggregator.aggregateDay(MAR_11);
        quota.usageLog().append(tiny("today-2", local("2025-03-11T02:29:00"), 1));

        assertThat(aggregator.summary().allTime().requests()).isEqualTo(2);
    }

    @Test
    void summaryMovesYesterdayToTheStoredPartAfterMidnight() {
        aggregator.aggregateDay(MAR_09);
        aggregator.aggregateDay(MAR_10);
        aggregator.aggregateDay(MAR_11);
        clock.set(local("2025-03-12T00:00:00"));

        assertThat(aggregator.summary().allTime()).isEqualTo(MAR_09_ALL.plus(MAR_10_ALL).plus(MAR_11_ALL));
    }

    @Test
    void summaryOnAnEmptyLedgerIsZero() {
        InMemoryQuota q = InMemoryQuota.create(MutableClock.at(NOW, SHANGHAI), SHANGHAI);

        assertThat(aggregatorIn(q, SHANGHAI).summary().allTime()).isEqualTo(UsageTotals.ZERO);
    }

    @Test
    void backfillStartsAtTheDayOfTheEarliestUsageAndEndsYesterday() {
        assertThat(aggregator.backfill(3)).isEqualTo(2);

        assertThat(quota.statistics().find(MAR_08, null)).as("before the earliest usage: not stored").isEmpty();
        assertThat(quota.statistics().find(MAR_09, null)).map(DailyStats::totals).contains(MAR_09_ALL);
        assertThat(quota.statistics().find(MAR_10, null)).map(DailyStats::totals).contains(MAR_10_ALL);
        assertThat(quota.statistics().find(MAR_10, 2L)).map(DailyStats::totals).contains(MAR_10_USER_2);
        assertThat(quota.statistics().find(MAR_11, null)).as("today is not backfilled").isEmpty();
    }

    @Test
    void backfillOfOneDayCoversOnlyYesterday() {
        assertThat(aggregator.backfill(1)).isEqualTo(1);

        assertThat(quota.statistics().find(MAR_10, null)).isPresent();
        assertThat(quota.statistics().find(MAR_09, null)).isEmpty();
    }

    @Test
    void backfillIsRerunnable() {
        aggregator.backfill(30);
        assertThat(aggregator.backfill(30)).isEqualTo(2);

        assertThat(quota.statistics().range(MAR_08.minusDays(40), MAR_11, null)).extracting(DailyStats::totals)
                .containsExactly(MAR_09_ALL, MAR_10_ALL);
        assertThat(aggregator.summary().allTime()).isEqualTo(MAR_09_ALL.plus(MAR_10_ALL).plus(MAR_11_ALL));
    }

    @Test
    void backfillAcceptsTheLargestRangeAndStopsAtTheFloor() {
        MutableClock c = MutableClock.startingAt("2001-01-05T00:00:00Z");
        InMemoryQuota q = InMemoryQuota.create(c);
        q.usageLog().appendAll(List.of(
                tiny("y1999", Instant.parse("1999-12-31T12:00:00Z"), 1),
                tiny("y2000", Instant.parse("2000-01-01T12:00:00Z"), 1)));

        int days = StatsAggregator.create(q.usageLog(), q.statistics(), c, c.getZone())
                .backfill(StatsAggregator.MAX_BACKFILL_DAYS);

        assertThat(days).as("2000-01-01 to 2001-01-04: 366 + 4 days").isEqualTo(370);
        assertThat(q.statistics().find(LocalDate.of(2000, 1, 1), null)).map(d -> d.totals().requests()).contains(1L);
        assertThat(q.statistics().find(LocalDate.of(2001, 1, 4), null)).map(d -> d.totals().requests()).contains(0L);
        assertThat(q.statistics().find(LocalDate.of(1999, 12, 31), null)).isEmpty();
    }

    @Test
    void backfillRejectsOutOfRangeDays() {
        for (int bad : new int[] {0, -1, StatsAggregator.MAX_BACKFILL_DAYS + 1}) {
            assertThatThrownBy(() -> aggregator.backfill(bad)).as("days=%d", bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("days");
        }
        assertThat(quota.statistics().range(MAR_08.minusDays(4000), MAR_11.plusDays(1), null)).isEmpty();
    }

    @Test
    void todayComesFromTheInjectedClock() {
        clock.advance(Duration.ofDays(1));

        assertThat(aggregator.summary().allTime()).as("03-11 is now a past day, never aggregated").isEqualTo(UsageTotals.ZERO);
        assertThat(aggregator.aggregateDay(MAR_11.plusDays(1)).totals()).isEqualTo(UsageTotals.ZERO);
        assertThat(aggregator.backfill(1)).isEqualTo(1);
        assertThat(quota.statistics().find(MAR_11, null)).map(DailyStats::totals).contains(MAR_11_ALL);
    }

    @Test
    void createRejectsNullArguments() {
        assertThatThrownBy(() -> StatsAggregator.create(null, quota.statistics(), clock, SHANGHAI))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("log");
        assertThatThrownBy(() -> StatsAggregator.create(quota.usageLog(), null, clock, SHANGHAI))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stats");
        assertThatThrownBy(() -> StatsAggregator.create(quota.usageLog(), quota.statistics(), null, SHANGHAI))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clock");
        assertThatThrownBy(() -> StatsAggregator.create(quota.usageLog(), quota.statistics(), clock, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zone");
    }
}
