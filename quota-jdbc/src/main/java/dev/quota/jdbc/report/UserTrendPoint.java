package dev.quota.jdbc.report;

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
}
