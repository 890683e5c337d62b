package dev.quota.core.usage;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Statistics of one business day (a calendar day in the business zone), either global ({@code userId}
 * {@code null}) or of one user.
 *
 * @param date the business date
 * @param userId the user, or {@code null} for all users
 * @param totals the day's totals
 */
public record DailyStats(LocalDate date, Long userId, UsageTotals totals) {

    /**
     * Rejects nulls.
     *
     * @param date the business date
     * @param userId the user, or {@code null} for all users
     * @param totals the day's totals
     */
    public DailyStats {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(totals, "totals");
        if (userId != null && userId <= 0) {
            throw new IllegalArgumentException("userId must be positive (or null for global statistics): " + userId);
        }
    }
}
