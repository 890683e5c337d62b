package dev.quota.core.window;

import java.time.Instant;
import java.time.ZoneId;

/**
 * Usage recorded in one window: an amount (nano-units for cost, a count for requests or tokens) and the
 * window's start ({@code null} when nothing was recorded yet).
 *
 * @param used the recorded usage; not negative
 * @param start the window start, or {@code null}
 */
public record WindowUsage(long used, Instant start) {

    /** No usage and no start. */
    public static final WindowUsage EMPTY = new WindowUsage(0, null);

    /**
     * Validates the usage.
     *
     * @param used the recorded usage; not negative
     * @param start the window start, or {@code null}
     */
    public WindowUsage {
        if (used < 0) {
            throw new IllegalArgumentException("used must not be negative: " + used);
        }
    }

    /**
     * @param window the window kind
     * @param now the current instant
     * @param zone the business zone
     * @return the usage that counts at {@code now} (zero once the window expired)
     */
    public long effective(Window window, Instant now, ZoneId zone) {
        return window.effectiveUsage(used, start, now, zone);
    }

    /**
     * Adds {@code amount} at {@code now}, resetting the window first when it expired: the semantics every
     * store and cache applies atomically.
     *
     * @param window the window kind
     * @param amount the amount to add; not negative
     * @param now the current instant
     * @param zone the business zone
     * @return the new usage
     * @throws ArithmeticException on overflow
     */
    public WindowUsage add(Window window, long amount, Instant now, ZoneId zone) {
        if (amount < 0) {
            throw new IllegalArgumentException("amount must not be negative: " + amount);
        }
        if (window.isExpired(start, now, zone)) {
            return new WindowUsage(amount, window.startAt(null, now, zone));
        }
        return new WindowUsage(Math.addExact(used, amount), start);
    }
}
