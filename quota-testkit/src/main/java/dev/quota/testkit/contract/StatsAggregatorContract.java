package dev.quota.testkit.contract;

import static dev.quota.testkit.contract.Fixtures.NEW_YORK;
import static dev.quota.testkit.contract.Fixtures.SHANGHAI;
import static dev.quota.testkit.contract.Fixtures.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.spi.StatisticsStore;
import dev.quota.core.spi.UsageAggregates;
import dev.quota.core.spi.UsageLog;
import dev.quota.core.stats.StatsAggregator;
import dev.quota.core.usage.DailyStats;
import dev.quota.core.usage.StatsOverview;
import dev.quota.core.usage.StatsSummary;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageTotals;
import dev.quota.core.usage.UserCounts;
import dev.quota.testkit.MutableClock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The observable behaviour of {@link StatsAggregator} on a backend (a ledger, a {@link StatisticsStore} and the
 * backend's {@link UsageAggregates}), against expectations computed by hand: every figure (totals, retried
 * requests, distinct models and platforms, per user and global) on a business day that is not the UTC day
 * (Asia/Shanghai, UTC+8) and on the 25-hour and 23-hour days of America/New_York; zero rows of a backfill; the
 * persisted summary with its cutoff day and the gateway's user and key counts. Extend it and implement
 * {@link #createBackend}.
 *
 * <pre>
 * Asia/Shanghai; now 2025-03-12 10:00 local (today 03-12)
 * id  local time (+08)         UTC day  user platform  model     in  out list  charged status ms  attempts
 * s1  2025-03-09 07:30         03-08    1    anthropic claude-a  100 50  1.00  0.80    200    100 1
 * s2  2025-03-09 23:59:59.999  03-09    2    openai    gpt-4o    10  10  0.50  0.50    502    900 3
 * s3  2025-03-10 00:00         03-09    1    anthropic claude-b  300 0   3.00  1.50    200    200 2
 * s4  2025-03-10 08:15         03-10    1    openai    gpt-4o    20  30  0.25  0.25    200    40  1
 * s5  2025-03-10 12:00         03-10    2    anthropic (none)    1   1   0.01  0.01    429    5   2
 * (no usage on 03-11)
 * s6  2025-03-12 09:00         03-12    3    anthropic claude-a  5   5   0.10  0.10    200    20  4
 *
 * America/New_York; 2026-11-01 is 25 hours: [2026-11-01T04:00Z, 2026-11-02T05:00Z)
 * n1  2026-11-01T03:59:59.999Z (10-31 23:59:59.999 EDT) 1 anthropic claude-a 7   3   0.07 0.07 200 70  2
 * n2  2026-11-01T05:30Z (01:30 EDT)                     1 anthropic claude-a 100 100 1.00 1.00 200 100 1
 * n3  2026-11-01T06:30Z (01:30 EST, the second one)     2 openai    gpt-4o   40  60  2.00 1.00 500 300 2
 * n4  2026-11-02T04:59:59.999Z (11-01 23:59:59.999 EST) 2 bedrock   claude-a 5   5   0.30 0.30 200 50  3
 * n5  2026-11-02T05:00Z (11-02 00:00 EST)               1 openai    gpt-4o   1   1   0.02 0.02 200 10  1
 * </pre>
 */
public abstract class StatsAggregatorContract {

    private static final LocalDate MAR_08 = LocalDate.of(2025, 3, 8);
    private static final LocalDate MAR_09 = LocalDate.of(2025, 3, 9);
    private static final LocalDate MAR_10 = LocalDate.of(2025, 3, 10);
    private static final LocalDate MAR_11 = LocalDate.of(2025, 3, 11);
    private static final LocalDate MAR_12 = LocalDate.of(2025, 3, 12);
    private static final LocalDate OCT_31 = LocalDate.of(2026, 10, 31);
    private static final LocalDate NOV_01 = LocalDate.of(2026, 11, 1);
    private static final LocalDate NOV_02 = LocalDate.of(2026, 11, 2);
    private static final UserCounts COUNTS = new UserCounts(7, 5, 12, 9);

    /** Creates the contract; subclasses supply the backend. */
    protected StatsAggregatorContract() {
    }

    /**
     * The parts of a backend the aggregator works on.
     *
     * @param log the ledger the test appends events to
     * @param stats the statistics store
     * @param aggregates the backend's aggregation of {@code log}
     */
    public record Backend(UsageLog log, StatisticsStore stats, UsageAggregates aggregates) {

        /**
         * Rejects nulls.
         *
         * @param log the ledger
         * @param stats the statistics store
         * @param aggregates the aggregation
         */
        public Backend {
            Objects.requireNonNull(log, "log");
            Objects.requireNonNull(stats, "stats");
            Objects.requireNonNull(aggregates, "aggregates");
        }
    }

    /**
     * Creates an empty backend whose reports use {@code zone} and {@code clock}. Called once per test; each call
     * must return a backend that sees nothing written by earlier tests.
     *
     * @param zone the business zone
     * @param clock the clock
     * @return an empty backend
     */
    protected abstract Backend createBackend(ZoneId zone, MutableClock clock);

    // --- data ---------------------------------------------------------------------------------------------

    private static UsageEvent ev(String id, Instant at, long user, String platform, String model, long in, long out,
                                 String list, String charged, int status, long ms, int attempts) {
        UsageEvent.Builder b = UsageEvent.builder(id, user).platform(platform).tokens(in, out, 0, 0)
                .totalCost(usd(list)).actualCost(usd(charged)).httpStatus(status).responseTimeMs(ms)
                .attempts(attempts).occurredAt(at);
        if (model != null) {
            b.model(model);
        }
        return b.build();
    }

    private static Instant shanghai(String local) {
        return LocalDateTime.parse(local).atZone(SHANGHAI).toInstant();
    }

    private static final List<UsageEvent> SHANGHAI_EVENTS = List.of(
            ev("s1", shanghai("2025-03-09T07:30:00"), 1, "anthropic", "claude-a", 100, 50, "1.00", "0.80", 200, 100, 1),
            ev("s2", shanghai("2025-03-09T23:59:59.999"), 2, "openai", "gpt-4o", 10, 10, "0.50", "0.50", 502, 900, 3),
            ev("s3", shanghai("2025-03-10T00:00:00"), 1, "anthropic", "claude-b", 300, 0, "3.00", "1.50", 200, 200, 2),
            ev("s4", shanghai("2025-03-10T08:15:00"), 1, "openai", "gpt-4o", 20, 30, "0.25", "0.25", 200, 40, 1),
            ev("s5", shanghai("2025-03-10T12:00:00"), 2, "anthropic", null, 1, 1, "0.01", "0.01", 429, 5, 2),
            ev("s6", shanghai("2025-03-12T09:00:00"), 3, "anthropic", "claude-a", 5, 5, "0.10", "0.10", 200, 20, 4));

    private static final List<UsageEvent> NEW_YORK_EVENTS = List.of(
            ev("n1", Instant.parse("2026-11-01T03:59:59.999Z"), 1, "anthropic", "claude-a", 7, 3, "0.07", "0.07", 200,
                    70, 2),
            ev("n2", Instant.parse("2026-11-01T05:30:00Z"), 1, "anthropic", "claude-a", 100, 100, "1.00", "1.00", 200,
                    100, 1),
            ev("n3", Instant.parse("2026-11-01T06:30:00Z"), 2, "openai", "gpt-4o", 40, 60, "2.00", "1.00", 500, 300, 2),
            ev("n4", Instant.parse("2026-11-02T04:59:59.999Z"), 2, "bedrock", "claude-a", 5, 5, "0.30", "0.30", 200,
                    50, 3),
            ev("n5", Instant.parse("2026-11-02T05:00:00Z"), 1, "openai", "gpt-4o", 1, 1, "0.02", "0.02", 200, 10, 1));

    /** Totals with no cache tokens and no cost parts, as every event here has. */
    private static UsageTotals totals(long requests, long success, long errors, long in, long out, String list,
                                      String charged, long ms) {
        return new UsageTotals(requests, success, errors, in, out, 0, 0, usd(list), usd(charged),
                usd("0"), usd("0"), usd("0"), usd("0"), ms);
    }

    private Backend backend;

    private StatsAggregator shanghaiAggregator() {
        MutableClock clock = MutableClock.at(shanghai("2025-03-12T10:00:00"), SHANGHAI);
        backend = createBackend(SHANGHAI, clock);
        assertThat(backend.log().appendAll(SHANGHAI_EVENTS)).isEqualTo(SHANGHAI_EVENTS.size());
        return StatsAggregator.builder(backend.log(), backend.stats()).clock(clock).zone(SHANGHAI)
                .aggregates(backend.aggregates()).userDirectory(() -> COUNTS).build();
    }

    private StatsAggregator newYorkAggregator(String now, List<UsageEvent> events) {
        MutableClock clock = MutableClock.at(Instant.parse(now), NEW_YORK);
        backend = createBackend(NEW_YORK, clock);
        assertThat(backend.log().appendAll(events)).isEqualTo(events.size());
        return StatsAggregator.builder(backend.log(), backend.stats()).clock(clock).zone(NEW_YORK)
                .aggregates(backend.aggregates()).build();
    }

    private List<DailyStats> stored(LocalDate from, LocalDate to) {
        List<DailyStats> rows = new java.util.ArrayList<>(backend.stats().range(from, to, null));
        for (long user = 1; user <= 3; user++) {
            rows.addAll(backend.stats().range(from, to, user));
        }
        return rows;
    }

    // --- Asia/Shanghai: the business day is not the UTC day ----------------------------------------------

    @Test
    void shanghaiDaysCarryEveryFigureGlobalAndPerUser() {
        StatsAggregator aggregator = shanghaiAggregator();

        DailyStats mar09 = aggregator.aggregateDay(MAR_09);
        DailyStats mar10 = aggregator.aggregateDay(MAR_10);

        // 03-09: s1 (UTC 03-08) and s2; s2 was retried (3 attempts); models claude-a, gpt-4o; anthropic, openai
        assertThat(mar09).isEqualTo(new DailyStats(MAR_09, null,
                totals(2, 1, 1, 110, 60, "1.50", "1.30", 1000), 1, 2, 2));
        // 03-10: s3 (UTC 03-09), s4, s5; s3 and s5 retried; models claude-b, gpt-4o (s5 has none)
        assertThat(mar10).isEqualTo(new DailyStats(MAR_10, null,
                totals(3, 2, 1, 321, 31, "3.26", "1.76", 245), 2, 2, 2));
        assertThat(stored(MAR_08, MAR_12)).containsExactly(
                mar09,
                mar10,
                new DailyStats(MAR_09, 1L, totals(1, 1, 0, 100, 50, "1.00", "0.80", 100), 0, 1, 1),
                new DailyStats(MAR_10, 1L, totals(2, 2, 0, 320, 30, "3.25", "1.75", 240), 1, 2, 2),
                new DailyStats(MAR_09, 2L, totals(1, 0, 1, 10, 10, "0.50", "0.50", 900), 1, 1, 1),
                new DailyStats(MAR_10, 2L, totals(1, 0, 1, 1, 1, "0.01", "0.01", 5), 1, 0, 1));
    }

    @Test
    void aggregatesOfAShanghaiDayListTheGlobalStatisticsFirstThenUsersInOrder() {
        shanghaiAggregator();
        Instant from = shanghai("2025-03-10T00:00:00");
        Instant to = shanghai("2025-03-11T00:00:00");

        List<DailyStats> day = backend.aggregates().day(MAR_10, from, to);

        assertThat(day).extracting(DailyStats::userId).containsExactly(null, 1L, 2L);
        assertThat(day).extracting(DailyStats::retriedRequests).containsExactly(2L, 1L, 1L);
        assertThat(backend.aggregates().day(MAR_11, to, shanghai("2025-03-12T00:00:00")))
                .containsExactly(DailyStats.zero(MAR_11, null));
        assertThat(backend.aggregates().earliest()).contains(shanghai("2025-03-09T07:30:00"));
    }

    @Test
    void backfillStartsAtTheEarliestUsageAndWritesZeroRowsForIdleDaysAndPreviouslyActiveUsers() {
        StatsAggregator aggregator = shanghaiAggregator();

        assertThat(aggregator.backfill()).as("03-09, 03-10 and 03-11").isEqualTo(3);

        assertThat(backend.stats().find(MAR_08, null)).as("before the earliest usage").isEmpty();
        assertThat(backend.stats().find(MAR_11, null)).contains(DailyStats.zero(MAR_11, null));
        assertThat(backend.stats().find(MAR_11, 1L)).contains(DailyStats.zero(MAR_11, 1L));
        assertThat(backend.stats().find(MAR_11, 2L)).contains(DailyStats.zero(MAR_11, 2L));
        assertThat(backend.stats().find(MAR_11, 3L)).as("user 3 is first active today").isEmpty();
        assertThat(backend.stats().find(MAR_12, null)).as("today is not backfilled").isEmpty();
        assertThat(backend.stats().find(MAR_10, 2L))
                .contains(new DailyStats(MAR_10, 2L, totals(1, 0, 1, 1, 1, "0.01", "0.01", 5), 1, 0, 1));
    }

    @Test
    void backfillPersistsTheSummaryWithItsCutoffDayAndTheUserCounts() {
        StatsAggregator aggregator = shanghaiAggregator();

        aggregator.backfill();

        // 03-09 + 03-10 + 03-11 (zero); today 03-12 is the cutoff and not included
        assertThat(backend.stats().findSummary()).contains(new StatsSummary(MAR_12,
                totals(5, 3, 2, 431, 91, "4.76", "3.06", 1245), 3, COUNTS));
    }

    @Test
    void summaryIsThePersistedSummaryPlusTodayLive() {
        StatsAggregator aggregator = shanghaiAggregator();
        aggregator.backfill();

        StatsOverview overview = aggregator.summary();

        assertThat(overview.today()).isEqualTo(new DailyStats(MAR_12, null,
                totals(1, 1, 0, 5, 5, "0.10", "0.10", 20), 1, 1, 1));
        assertThat(overview.allTime()).isEqualTo(totals(6, 4, 2, 436, 96, "4.86", "3.16", 1265));
        assertThat(overview.allTimeRetriedRequests()).isEqualTo(4);
        assertThat(overview.counts()).isEqualTo(COUNTS);
    }

    @Test
    void aSummaryRefreshedBeforeTheBackfillIsRefreshedByIt() {
        StatsAggregator aggregator = shanghaiAggregator();

        assertThat(aggregator.refreshSummary()).isEqualTo(new StatsSummary(MAR_12, UsageTotals.ZERO, 0, COUNTS));
        aggregator.backfill();

        assertThat(aggregator.summary().summary().totals().requests()).isEqualTo(5);
    }

    @Test
    void reAggregatingAPastDayRefreshesAPersistedSummary() {
        StatsAggregator aggregator = shanghaiAggregator();
        aggregator.aggregateDay(MAR_09);
        aggregator.refreshSummary();

        aggregator.aggregateDay(MAR_10);

        assertThat(backend.stats().findSummary()).map(StatsSummary::retriedRequests).contains(3L);
        assertThat(backend.stats().findSummary()).map(s -> s.totals().requests()).contains(5L);
    }

    // --- America/New_York: DST ---------------------------------------------------------------------------

    @Test
    void newYorkFallBackDayCoversTwentyFiveHoursWithEveryFigure() {
        StatsAggregator aggregator = newYorkAggregator("2026-11-03T12:00:00Z", NEW_YORK_EVENTS);

        DailyStats oct31 = aggregator.aggregateDay(OCT_31);
        DailyStats nov01 = aggregator.aggregateDay(NOV_01);
        DailyStats nov02 = aggregator.aggregateDay(NOV_02);

        assertThat(oct31).isEqualTo(new DailyStats(OCT_31, null, totals(1, 1, 0, 7, 3, "0.07", "0.07", 70), 1, 1, 1));
        // n2, n3 (the second 01:30) and n4 (04:59:59.999Z next UTC day): 3 platforms, 2 models, 2 retried
        assertThat(nov01).isEqualTo(new DailyStats(NOV_01, null,
                totals(3, 2, 1, 145, 165, "3.30", "2.30", 450), 2, 2, 3));
        assertThat(nov02).isEqualTo(new DailyStats(NOV_02, null, totals(1, 1, 0, 1, 1, "0.02", "0.02", 10), 0, 1, 1));
        assertThat(backend.stats().find(NOV_01, 1L)).contains(new DailyStats(NOV_01, 1L,
                totals(1, 1, 0, 100, 100, "1.00", "1.00", 100), 0, 1, 1));
        assertThat(backend.stats().find(NOV_01, 2L)).contains(new DailyStats(NOV_01, 2L,
                totals(2, 1, 1, 45, 65, "2.30", "1.30", 350), 2, 2, 2));
        assertThat(backend.stats().find(OCT_31, 1L)).contains(new DailyStats(OCT_31, 1L,
                totals(1, 1, 0, 7, 3, "0.07", "0.07", 70), 1, 1, 1));
    }

    @Test
    void newYorkSpringForwardDayCoversTwentyThreeHours() {
        // 2026-03-08 runs from 05:00Z (EST) to 2026-03-09T04:00Z (EDT)
        List<UsageEvent> events = List.of(
                ev("p1", Instant.parse("2026-03-08T04:59:59.999Z"), 1, "openai", "gpt-4o", 1, 0, "0.01", "0.01", 200,
                        1, 5),
                ev("p2", Instant.parse("2026-03-08T05:00:00Z"), 1, "anthropic", "claude-a", 2, 0, "0.02", "0.02", 200,
                        2, 2),
                ev("p3", Instant.parse("2026-03-09T03:59:59.999Z"), 2, "openai", "gpt-4o", 4, 0, "0.04", "0.04", 200,
                        4, 1),
                ev("p4", Instant.parse("2026-03-09T04:00:00Z"), 2, "bedrock", "claude-b", 8, 0, "0.08", "0.08", 200,
                        8, 3));
        StatsAggregator aggregator = newYorkAggregator("2026-03-10T12:00:00Z", events);

        assertThat(aggregator.aggregateDay(LocalDate.of(2026, 3, 8))).isEqualTo(new DailyStats(
                LocalDate.of(2026, 3, 8), null, totals(2, 2, 0, 6, 0, "0.06", "0.06", 6), 1, 2, 2));
        assertThat(aggregator.backfill(5)).as("03-07 (earliest) to 03-09").isEqualTo(3);
        assertThat(backend.stats().find(LocalDate.of(2026, 3, 9), 1L))
                .contains(DailyStats.zero(LocalDate.of(2026, 3, 9), 1L));
        assertThat(backend.stats().find(LocalDate.of(2026, 3, 9), 2L)).contains(new DailyStats(
                LocalDate.of(2026, 3, 9), 2L, totals(1, 1, 0, 8, 0, "0.08", "0.08", 8), 1, 1, 1));
    }
}
