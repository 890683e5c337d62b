package dev.quota.core.window;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;

/**
 * A sliding-window estimate over two fixed buckets: the previous bucket's count weighted by the part of it
 * that still overlaps the sliding window, plus the current bucket's count. It smooths the burst a plain
 * fixed bucket allows at its boundary (up to twice the limit within one bucket length).
 *
 * <p>All arithmetic is integer; the weight is rounded down. Immutable and thread-safe.
 *
 * @param bucket the bucket length (e.g. one minute)
 */
public record SlidingWindow(Duration bucket) {

    /**
     * Validates the bucket length.
     *
     * @param bucket the bucket length (e.g. one minute)
     */
    public SlidingWindow {
        new Window.Fixed(bucket);
    }

    /** @return the fixed bucket underlying this sliding window */
    public Window.Fixed buckets() {
        return new Window.Fixed(bucket);
    }

    /**
     * Estimates the count in the sliding window that ends at {@code now}.
     *
     * @param previous the count of the previous bucket; not negative
     * @param current the count of the current bucket; not negative
     * @param now the current instant
     * @return {@code floor(previous * (bucket - elapsed) / bucket) + current}
     */
    public long estimate(long previous, long current, Instant now) {
        if (previous < 0 || current < 0) {
            throw new IllegalArgumentException("counts must not be negative: previous=" + previous + ", current=" + current);
        }
        long len = bucket.toMillis();
        long elapsed = now.toEpochMilli() - buckets().bucketStart(now).toEpochMilli();
        long weighted = BigInteger.valueOf(previous).multiply(BigInteger.valueOf(len - elapsed))
                .divide(BigInteger.valueOf(len)).longValueExact();
        return Math.addExact(weighted, current);
    }
}
