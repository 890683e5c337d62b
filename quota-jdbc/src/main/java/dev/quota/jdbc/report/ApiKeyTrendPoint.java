package dev.quota.jdbc.report;

import dev.quota.core.usage.UsageTotals;
import java.time.Instant;
import java.util.Objects;

/**
 * One API key's usage in one trend bucket (see {@link dev.quota.jdbc.UsageReports#topApiKeyTrend}): the API key and its
 * {@link TrendPoint} (bucket, sums and per-minute rates over the bucket's part inside the queried range).
 *
 * @param apiKeyId the API key
 * @param point the bucket's usage of that API key
 */
public record ApiKeyTrendPoint(long apiKeyId, TrendPoint point) {

    /**
     * Rejects a null point.
     *
     * @param apiKeyId the API key
     * @param point the bucket's usage
     */
    public ApiKeyTrendPoint {
        Objects.requireNonNull(point, "point");
    }

    /**
     * A point whose rates are over the part of the bucket inside the queried range {@code [from, to)} (see
     * {@link TrendPoint#inRange}).
     *
     * @param start the bucket start
     * @param end the bucket end, exclusive
     * @param apiKeyId the API key
     * @param totals the sums of the bucket's events inside the range
     * @param from the queried range's start
     * @param to the queried range's end, exclusive
     * @return the point
     */
    public static ApiKeyTrendPoint inRange(Instant start, Instant end, long apiKeyId, UsageTotals totals, Instant from,
            Instant to) {
        return new ApiKeyTrendPoint(apiKeyId, TrendPoint.inRange(start, end, totals, from, to));
    }
}
