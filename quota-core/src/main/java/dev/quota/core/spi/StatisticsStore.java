package dev.quota.core.spi;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.usage.DailyStats;
import dev.quota.core.usage.StatsSummary;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Pre-aggregated daily statistics per business day, global and per user, and the one persisted all-time
 * {@link StatsSummary}. Writing a day (or the summary) replaces it (aggregation is re-runnable). Every field of
 * {@link DailyStats} is stored, including the retried requests and the distinct model and platform counts.
 * Failures are reported as {@link BackendUnavailableException}. Thread-safe.
 */
public interface StatisticsStore {

    /**
     * Creates or replaces the statistics of one day (global when {@code stats.userId()} is null).
     *
     * @param stats the day
     */
    void put(DailyStats stats);

    /**
     * Creates or replaces several days at once (e.g. a day's global and per-user rows), as {@link #put} each would;
     * stores that can do it in one round trip or transaction override this.
     *
     * @param days the days, at most one per (date, user)
     */
    default void putAll(Collection<DailyStats> days) {
        days.forEach(this::put);
    }

    /**
     * @param date the business date
     * @param userId the user, or {@code null} for the global statistics
     * @return the day's statistics, empty when not aggregated yet
     */
    Optional<DailyStats> find(LocalDate date, Long userId);

    /**
     * @param from inclusive first date
     * @param to exclusive last date
     * @param userId the user, or {@code null} for the global statistics
     * @return the aggregated days in the range, ordered by date
     */
    List<DailyStats> range(LocalDate from, LocalDate to, Long userId);

    /**
     * Creates or replaces the one persisted summary.
     *
     * @param summary the summary
     */
    void putSummary(StatsSummary summary);

    /** @return the persisted summary, empty when none was written yet */
    Optional<StatsSummary> findSummary();
}
