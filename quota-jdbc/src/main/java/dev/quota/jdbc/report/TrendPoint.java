package dev.quota.jdbc.report;

import dev.quota.core.usage.UsageTotals;
import java.util.Objects;
import java.time.Instant;

/**
 * The usage in one trend bucket.
 *
 * @param start the bucket start (see {@link Granularity#bucketStart}); may lie before the queried range
 * @param end the bucket end, exclusive
 * @param totals the sums of the bucket's events that fall inside the queried range
 */
public record TrendPoint(Instant start, Instant end, UsageTotals totals) {

    /**
     * Rejects nulls.
     *
     * @param start the bucket start (see {@link Granularity#bucketStart}); may lie before the queried range
     * @param end the bucket end, exclusive
     * @param totals the sums of the bucket's events that fall inside the queried range
     */
    public TrendPoint {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(totals, "totals");
    }
}
