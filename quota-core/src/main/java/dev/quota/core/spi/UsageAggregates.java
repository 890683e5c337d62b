package dev.quota.core.spi;

import dev.quota.core.usage.DailyStats;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Aggregation of the usage ledger for {@link dev.quota.core.stats.StatsAggregator}: one business day's
 * statistics, global and per user, in as few round trips as the store allows (the SQL adapter answers with two
 * grouped queries; {@link #over(UsageLog)} does it with one pass over the events). Implementations are
 * thread-safe and report failures as {@link dev.quota.core.BackendUnavailableException}.
 */
public interface UsageAggregates {

    /**
     * Aggregates the events with {@code from <= occurredAt < to}.
     *
     * @param date the business date the range is (copied into the returned statistics)
     * @param from inclusive start
     * @param to exclusive end, not before {@code from}
     * @return the global statistics first (always present, zero without usage), then one entry per user with
     *     usage in the range, ordered by user id
     */
    List<DailyStats> day(LocalDate date, Instant from, Instant to);

    /** @return the time of the earliest event in the ledger, empty when the ledger is empty */
    Optional<Instant> earliest();

    /**
     * The portable implementation: reads the events through {@link UsageLog#list} in pages (one pass per day)
     * and counts in Java. Correct on every {@link UsageLog}; use the adapter's own implementation where there is
     * one (it aggregates in the database).
     *
     * @param log the ledger
     * @return aggregates over it
     */
    static UsageAggregates over(UsageLog log) {
        return new dev.quota.core.internal.LedgerAggregates(log);
    }
}
