package dev.quota.core.usage;

import java.time.LocalDate;
import java.util.Objects;

/**
 * The all-time summary as persisted by {@link dev.quota.core.stats.StatsAggregator#refreshSummary()}: the sum of
 * the stored global daily statistics before {@code cutoffDay} (a business date, exclusive), the requests among
 * them that needed more than one upstream attempt, and the user and API-key counts the gateway reported at that
 * time. Immutable.
 *
 * @param cutoffDay the first business date NOT included (the day the summary was refreshed on)
 * @param totals the summed totals of the stored days before {@code cutoffDay}
 * @param retriedRequests the summed retried requests of those days, 0 to {@code totals.requests()}
 * @param counts the users and API keys at refresh time
 */
public record StatsSummary(LocalDate cutoffDay, UsageTotals totals, long retriedRequests, UserCounts counts) {

    /**
     * Rejects nulls and retried requests outside {@code [0, totals.requests()]}.
     *
     * @param cutoffDay the first business date not included
     * @param totals the summed totals
     * @param retriedRequests the summed retried requests
     * @param counts the users and API keys
     */
    public StatsSummary {
        Objects.requireNonNull(cutoffDay, "cutoffDay");
        Objects.requireNonNull(totals, "totals");
        Objects.requireNonNull(counts, "counts");
        if (retriedRequests < 0 || retriedRequests > totals.requests()) {
            throw new IllegalArgumentException("retriedRequests must be between 0 and the requests ("
                    + totals.requests() + "): " + retriedRequests);
        }
    }
}
