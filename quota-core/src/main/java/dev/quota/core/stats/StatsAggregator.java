package dev.quota.core.stats;

import dev.quota.core.internal.DefaultStatsAggregator;
import dev.quota.core.spi.StatisticsStore;
import dev.quota.core.spi.UsageAggregates;
import dev.quota.core.spi.UsageLog;
import dev.quota.core.spi.UserDirectory;
import dev.quota.core.usage.DailyStats;
import dev.quota.core.usage.StatsOverview;
import dev.quota.core.usage.StatsSummary;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * Pre-aggregates the usage ledger into daily statistics per business day (a calendar day in the business
 * zone, 23 or 25 hours long on DST changes), globally and per user, so that dashboards do not scan the
 * ledger; persists an all-time {@link StatsSummary} (with the gateway's user and API-key counts) and combines
 * it with a live "today".
 *
 * <p>Each day carries the {@link dev.quota.core.usage.UsageTotals}, the requests that needed more than one
 * upstream attempt, and the distinct models and platforms used ({@link DailyStats}).
 *
 * <p>Typical use is a nightly job: {@code aggregateDay(yesterday)} shortly after midnight (re-running it is
 * harmless, it replaces the stored day), {@link #backfill()} once after installation or an outage, and
 * {@link #summary()} whenever a dashboard asks.
 *
 * <p>"Today" and "now" come only from the injected {@link Clock}. Implementations are stateless and
 * thread-safe; two concurrent runs for the same day write the same values. Failures of the ledger or the
 * store propagate as {@link dev.quota.core.BackendUnavailableException}.
 */
public interface StatsAggregator {

    /**
     * The earliest business date this aggregator works with: the summary sums the stored days from here
     * on, {@link #aggregateDay} rejects earlier dates and {@link #backfill} never goes further back. A fixed
     * floor (instead of {@link LocalDate#MIN}) keeps the range queryable by every store (SQL stores encode the
     * day as {@code yyyymmdd}).
     */
    LocalDate EARLIEST_DATE = LocalDate.of(2000, 1, 1);

    /** The most days {@link #backfill(int)} accepts (about ten years). */
    int MAX_BACKFILL_DAYS = 3660;

    /** The days {@link #backfill()} covers: the last 365 (as the seed does). */
    int DEFAULT_BACKFILL_DAYS = 365;

    /**
     * Creates an aggregator that reads the ledger through {@link UsageAggregates#over(UsageLog)} and reports no
     * users or keys ({@link UserDirectory#NONE}); see {@link #builder} for the other options.
     *
     * @param log the usage ledger to read
     * @param stats the store to write the daily statistics to
     * @param clock the source of "now" and "today"
     * @param zone the business zone whose calendar days are aggregated
     * @return the aggregator; thread-safe
     * @throws IllegalArgumentException if an argument is null
     */
    static StatsAggregator create(UsageLog log, StatisticsStore stats, Clock clock, ZoneId zone) {
        return builder(log, stats).clock(clock).zone(zone).build();
    }

    /**
     * Starts a builder. Defaults: the UTC system clock, zone UTC, {@link UsageAggregates#over(UsageLog)
     * aggregation in Java over the log}, {@link UserDirectory#NONE}.
     *
     * @param log the usage ledger to read
     * @param stats the store to write the statistics and the summary to
     * @return the builder (not thread-safe)
     * @throws IllegalArgumentException if an argument is null
     */
    static Builder builder(UsageLog log, StatisticsStore stats) {
        return new Builder(log, stats);
    }

    /**
     * Aggregates one business day {@code [date 00:00, date+1 00:00)} in the zone: stores (replacing what was
     * stored) the global statistics and the statistics of every user with usage that day, and returns the
     * global ones. A day without usage stores zero global statistics and no per-user rows. When a summary is
     * persisted and {@code date} is before today, the summary is refreshed too, so it never misses a day that
     * was re-aggregated.
     *
     * <p>Cost: one {@link UsageAggregates#day} call (two grouped queries on SQL) and one write per stored row.
     * Meant for a nightly job, not for a request path. Aggregating today is allowed (a partial day, refreshed
     * by the next run) but {@link #summary()} always counts today live.
     *
     * @param date the business date, from {@link #EARLIEST_DATE} to today
     * @return the day's global statistics, as stored
     * @throws IllegalArgumentException if {@code date} is null, before {@link #EARLIEST_DATE} or after today
     */
    DailyStats aggregateDay(LocalDate date);

    /**
     * Recomputes and persists the summary: the sum of the stored global days from {@link #EARLIEST_DATE} up to
     * (excluding) today, with cutoff day today and the {@link UserDirectory}'s current counts. Days that were
     * never aggregated are missing from the sum; run {@link #backfill()} to fill them (it refreshes the summary
     * when it is done).
     *
     * @return the persisted summary
     */
    StatsSummary refreshSummary();

    /**
     * The all-time figures: the persisted summary (refreshed first when there is none or its cutoff day is not
     * today, e.g. on the first call after midnight), plus today's statistics read live from the ledger
     * ({@code [today 00:00, tomorrow 00:00)} in the zone, so that it matches what aggregating today will store).
     *
     * @return the summary and today
     */
    StatsOverview summary();

    /**
     * {@link #backfill(int)} over the last {@value #DEFAULT_BACKFILL_DAYS} days.
     *
     * @return how many days were written
     */
    int backfill();

    /**
     * Aggregates each business day from the later of {@code today - days} and the day of the earliest event in
     * the ledger (never before {@link #EARLIEST_DATE}) up to and including yesterday, as {@link #aggregateDay}
     * does, and additionally writes zero rows: a day without usage gets zero global statistics, and every user
     * who was active on an earlier day of the backfilled range gets a zero row on each later day without usage.
     * Then refreshes the summary. An empty ledger writes nothing. Costs one {@link UsageAggregates#day} call
     * per day plus one write per row.
     *
     * @param days how many days before today to cover, 1 to {@value #MAX_BACKFILL_DAYS}
     * @return how many days were written (0 when the ledger is empty)
     * @throws IllegalArgumentException if {@code days} is out of range
     */
    int backfill(int days);

    /** Builds a {@link StatsAggregator}. Not thread-safe; every setter validates at once. */
    final class Builder {
        private final UsageLog log;
        private final StatisticsStore stats;
        private Clock clock = Clock.systemUTC();
        private ZoneId zone = ZoneOffset.UTC;
        private UsageAggregates aggregates;
        private UserDirectory directory = UserDirectory.NONE;

        private Builder(UsageLog log, StatisticsStore stats) {
            this.log = require(log, "log");
            this.stats = require(stats, "stats");
        }

        private static <T> T require(T value, String field) {
            if (value == null) {
                throw new IllegalArgumentException(field + " must not be null");
            }
            return value;
        }

        /**
         * @param clock the source of "now" and "today"; default the UTC system clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = require(clock, "clock");
            return this;
        }

        /**
         * @param zone the business zone whose calendar days are aggregated; default UTC
         * @return this builder
         */
        public Builder zone(ZoneId zone) {
            this.zone = require(zone, "zone");
            return this;
        }

        /**
         * @param aggregates how the ledger is aggregated (e.g. the SQL adapter's {@code aggregates()}, which
         *     aggregates in the database); default {@link UsageAggregates#over(UsageLog)} on the log
         * @return this builder
         */
        public Builder aggregates(UsageAggregates aggregates) {
            this.aggregates = require(aggregates, "aggregates");
            return this;
        }

        /**
         * @param directory the gateway's user and API-key counts for the summary; default
         *     {@link UserDirectory#NONE}
         * @return this builder
         */
        public Builder userDirectory(UserDirectory directory) {
            this.directory = require(directory, "directory");
            return this;
        }

        /** @return the aggregator; thread-safe */
        public StatsAggregator build() {
            return new DefaultStatsAggregator(stats, clock, zone,
                    Objects.requireNonNullElseGet(aggregates, () -> UsageAggregates.over(log)), directory);
        }
    }
}
