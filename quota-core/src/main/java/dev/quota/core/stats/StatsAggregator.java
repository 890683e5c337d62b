package dev.quota.core.stats;

import dev.quota.core.internal.DefaultStatsAggregator;
import dev.quota.core.spi.StatisticsStore;
import dev.quota.core.spi.UsageLog;
import dev.quota.core.usage.DailyStats;
import dev.quota.core.usage.UsageTotals;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Pre-aggregates the usage ledger into daily statistics per business day (a calendar day in the business
 * zone, 23 or 25 hours long on DST changes), globally and per user, so that dashboards do not scan the
 * ledger; and combines the stored days with a live "today" into an all-time summary.
 *
 * <p>Typical use is a nightly job: {@code aggregateDay(yesterday)} shortly after midnight (re-running it is
 * harmless, it replaces the stored day), {@link #backfill(int)} once after installation or an outage, and
 * {@link #summary()} whenever a dashboard asks.
 *
 * <p>"Today" and "now" come only from the injected {@link Clock}. Implementations are stateless and
 * thread-safe; two concurrent runs for the same day write the same values. Failures of the ledger or the
 * store propagate as {@link dev.quota.core.decision.BackendUnavailableException}.
 */
public interface StatsAggregator {

    /**
     * The earliest business date this aggregator works with: {@link #summary()} sums the stored days from here
     * on, {@link #aggregateDay} rejects earlier dates and {@link #backfill} never goes further back. A fixed
     * floor (instead of {@link LocalDate#MIN}) keeps the range queryable by every store (SQL stores encode the
     * day as {@code yyyymmdd}).
     */
    LocalDate EARLIEST_DATE = LocalDate.of(2000, 1, 1);

    /** The most days {@link #backfill(int)} accepts (about ten years). */
    int MAX_BACKFILL_DAYS = 3660;

    /**
     * Creates an aggregator.
     *
     * @param log the usage ledger to read
     * @param stats the store to write the daily statistics to
     * @param clock the source of "now" and "today"
     * @param zone the business zone whose calendar days are aggregated
     * @return the aggregator; thread-safe
     * @throws IllegalArgumentException if an argument is null
     */
    static StatsAggregator create(UsageLog log, StatisticsStore stats, Clock clock, ZoneId zone) {
        return new DefaultStatsAggregator(log, stats, clock, zone);
    }

    /**
     * Aggregates one business day {@code [date 00:00, date+1 00:00)} in the zone: stores (replacing what was
     * stored) the global statistics and the statistics of every user with usage that day, and returns the
     * global ones. A day without usage stores zero global statistics and no per-user rows.
     *
     * <p>Cost: one totals query for the day, one pass over the day's events (pages of
     * {@value dev.quota.core.usage.PageRequest#MAX_SIZE}) to find its users, and one totals query plus one
     * write per active user. Meant for a nightly job, not for a request path. Aggregating today is allowed
     * (a partial day, refreshed by the next run) but {@link #summary()} always counts today live.
     *
     * @param date the business date, from {@link #EARLIEST_DATE} to today
     * @return the day's global statistics, as stored
     * @throws IllegalArgumentException if {@code date} is null, before {@link #EARLIEST_DATE} or after today
     */
    DailyStats aggregateDay(LocalDate date);

    /**
     * The all-time totals: the sum of the stored global daily statistics from {@link #EARLIEST_DATE} up to
     * (excluding) today, plus today's usage read live from the ledger ({@code [today 00:00, tomorrow 00:00)}
     * in the zone, so that it matches what aggregating today will store). Days that were never aggregated
     * are missing from the sum; run {@link #backfill(int)} to fill them.
     *
     * @return the totals
     */
    UsageTotals summary();

    /**
     * Aggregates each business day from {@code today - days} (but not before {@link #EARLIEST_DATE}) up to
     * and including yesterday, as {@link #aggregateDay} does, except that a day whose ledger totals are zero
     * is skipped without storing anything (so a long backfill over a young ledger writes no empty rows).
     * Costs one totals query per day plus, for days with usage, what {@link #aggregateDay} costs.
     *
     * @param days how many days before today to cover, 1 to {@value #MAX_BACKFILL_DAYS}
     * @return how many days had usage and were aggregated
     * @throws IllegalArgumentException if {@code days} is out of range
     */
    int backfill(int days);
}
