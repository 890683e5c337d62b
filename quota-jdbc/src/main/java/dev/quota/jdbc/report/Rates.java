package dev.quota.jdbc.report;

import java.time.Duration;
import java.time.Instant;

/** Per-minute rates of a trend bucket, computed once for every kind of trend point. */
final class Rates {

    private static final double MS_PER_MINUTE = 60_000.0;

    private Rates() {
    }

    /**
     * @param count requests or tokens
     * @param from start of the time they were counted over
     * @param to end (exclusive)
     * @return count per minute of {@code [from, to)}, 0 when that span is empty
     */
    static double perMinute(long count, Instant from, Instant to) {
        long ms = Duration.between(from, to).toMillis();
        return ms <= 0 ? 0.0 : count * MS_PER_MINUTE / ms;
    }

    static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    static void checkRate(double rate, String field) {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException(field + " must be a finite rate of at least 0: " + rate);
        }
    }
}
