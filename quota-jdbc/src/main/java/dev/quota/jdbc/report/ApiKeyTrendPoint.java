package dev.quota.jdbc.report;

import dev.quota.core.usage.UsageTotals;
import java.time.Instant;
import java.util.Objects;

/**
 * One API key's usage in one trend bucket (see {@link dev.quota.jdbc.UsageReports#topApiKeyTrend}).
 *
 * @param start the bucket start
 * @param end the bucket end, exclusive
 * @param apiKeyId the API key
 * @param totals the key's sums in the bucket
 */
public record ApiKeyTrendPoint(Instant start, Instant end, long apiKeyId, UsageTotals totals) {

    /**
     * Rejects nulls.
     *
     * @param start the bucket start
     * @param end the bucket end, exclusive
     * @param apiKeyId the API key
     * @param totals the key's sums in the bucket
     */
    public ApiKeyTrendPoint {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(totals, "totals");
    }
}
