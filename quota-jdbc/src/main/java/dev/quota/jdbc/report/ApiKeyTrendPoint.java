package dev.quota.jdbc.report;

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
}
