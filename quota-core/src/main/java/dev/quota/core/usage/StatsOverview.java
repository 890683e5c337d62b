package dev.quota.core.usage;

import java.util.Objects;

/**
 * What a dashboard shows as "all time": the persisted {@link StatsSummary} (stored days before its cutoff day)
 * plus today's usage read live from the ledger. Immutable.
 *
 * @param summary the persisted summary; its cutoff day is today
 * @param today today's statistics (global), read live
 */
public record StatsOverview(StatsSummary summary, DailyStats today) {

    /**
     * Rejects nulls.
     *
     * @param summary the persisted summary
     * @param today today's live statistics
     */
    public StatsOverview {
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(today, "today");
    }

    /** @return the summary's totals plus today's */
    public UsageTotals allTime() {
        return summary.totals().plus(today.totals());
    }

    /** @return the summary's retried requests plus today's */
    public long allTimeRetriedRequests() {
        return Math.addExact(summary.retriedRequests(), today.retriedRequests());
    }

    /** @return the user and API-key counts of the summary */
    public UserCounts counts() {
        return summary.counts();
    }
}
