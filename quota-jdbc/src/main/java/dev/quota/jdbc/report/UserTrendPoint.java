package dev.quota.jdbc.report;

import dev.quota.core.usage.UsageTotals;
import java.time.Instant;
import java.util.Objects;

/**
 * One user's usage in one trend bucket (see {@link dev.quota.jdbc.UsageReports#topUserTrend}).
 *
 * @param start the bucket start
 * @param end the bucket end, exclusive
 * @param userId the user
 * @param totals the user's sums in the bucket
 */
public record UserTrendPoint(Instant start, Instant end, long userId, UsageTotals totals) {

    /**
     * Rejects nulls.
     *
     * @param start the bucket start
     * @param end the bucket end, exclusive
     * @param userId the user
     * @param totals the user's sums in the bucket
     */
    public UserTrendPoint {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(totals, "totals");
    }
}
