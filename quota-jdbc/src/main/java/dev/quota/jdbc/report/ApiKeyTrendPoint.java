package dev.quota.jdbc.report;

import dev.quota.core.usage.UsageTotals;
import java.time.Instant;
import java.util.Objects;

/**
 * One API key's usage in one trend bucket (see {@link dev.quota.jdbc.UsageReports#topApiKeyTrend}).
 *
 * <p>{@code requestsPerMinute} and {@code tokensPerMinute} are the bucket's requests and tokens divided by the
 * minutes of the part of the bucket that lies inside the queried range (a whole business day is 1440 minutes,
 * 1380 or 1500 on a DST change; a bucket cut by the range counts only its part inside it).
 *
 * @param start the bucket start (see {@link Granularity#bucketStart}); may lie before the queried range
 * @param end the bucket end, exclusive
 * @param apiKeyId the API key
 * @param totals the sums of the bucket's events that fall inside the queried range
 * @param requestsPerMinute requests per minute of the bucket's part inside the queried range
 * @param tokensPerMinute tokens per minute of the bucket's part inside the queried range
 */
public record ApiKeyTrendPoint(Instant start, Instant end, long apiKeyId, UsageTotals totals, double requestsPerMinute,
        double tokensPerMinute) {

    /**
     * Rejects nulls, an end before the start and rates that are negative or not finite.
     *
     * @param start the bucket start
     * @param end the bucket end, exclusive
     * @param apiKeyId the API key
     * @param totals the sums
     * @param requestsPerMinute requests per minute
     * @param tokensPerMinute tokens per minute
     */
    public ApiKeyTrendPoint {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(totals, "totals");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("end must not be before start: " + start + " > " + end);
        }
        Rates.checkRate(requestsPerMinute, "requestsPerMinute");
        Rates.checkRate(tokensPerMinute, "tokensPerMinute");
    }

    /**
     * A point of a bucket that lies wholly inside the queried range: the rates are over the whole bucket.
     *
     * @param start the bucket start
     * @param end the bucket end, exclusive
     * @param apiKeyId the API key
     * @param totals the bucket's sums
     */
    public ApiKeyTrendPoint(Instant start, Instant end, long apiKeyId, UsageTotals totals) {
        this(start, end, apiKeyId, totals, Rates.perMinute(totals.requests(), start, end),
                Rates.perMinute(totals.totalTokens(), start, end));
    }

    /**
     * A point whose rates are over the part of the bucket inside the queried range {@code [from, to)}.
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
        Objects.requireNonNull(totals, "totals");
        Instant a = Rates.later(start, from);
        Instant b = Rates.earlier(end, to);
        return new ApiKeyTrendPoint(start, end, apiKeyId, totals, Rates.perMinute(totals.requests(), a, b),
                Rates.perMinute(totals.totalTokens(), a, b));
    }
}
