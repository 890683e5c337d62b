package dev.quota.jdbc.report;

import dev.quota.core.usage.UsageTotals;
import java.time.Instant;
import java.util.Objects;

/**
 * One user's usage in one trend bucket (see {@link dev.quota.jdbc.UsageReports#topUserTrend}): the user and its
 * {@link TrendPoint} (bucket, sums and per-minute rates over the bucket's part inside the queried range).
 *
 * @param userId the user
 * @param point the bucket's usage of that user
 */
public record UserTrendPoint(long userId, TrendPoint point) {

    /**
     * Rejects a null point.
     *
     * @param userId the user
     * @param point the bucket's usage
     */
    public UserTrendPoint {
        Objects.requireNonNull(point, "point");
    }

    /**
     * A point whose rates are over the part of the bucket inside the queried range {@code [from, to)} (see
     * {@link TrendPoint#inRange}).
     *
     * @param start the bucket start
     * @param end the bucket end, exclusive
     * @param userId the user
     * @param totals the sums of the bucket's events inside the range
     * @param from the queried range's start
     * @param to the queried range's end, exclusive
     * @return the point
     */
    public static UserTrendPoint inRange(Instant start, Instant end, long userId, UsageTotals totals, Instant from,
            Instant to) {
        return new UserTrendPoint(userId, TrendPoint.inRange(start, end, totals, from, to));
    }
}
