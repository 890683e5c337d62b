package dev.quota.core.limit;

import dev.quota.core.window.WindowUsage;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The runtime user × platform quota record: the user's own limits (or {@code null} to use the configured
 * defaults, see {@link PlatformQuotaDefaults}) and cost usage (nano-units) in the calendar day, calendar
 * week and rolling 30-day windows (see {@link QuotaWindows#platform(Period)}).
 *
 * @param userId the user
 * @param platform the platform, e.g. {@code "anthropic"}
 * @param limits the user's limits, or {@code null} when the defaults apply
 * @param daily usage in the calendar day
 * @param weekly usage in the calendar week
 * @param monthly usage in the rolling 30 days
 */
public record PlatformQuotaRecord(long userId, String platform, PeriodLimits limits,
                                  WindowUsage daily, WindowUsage weekly, WindowUsage monthly) {

    /**
     * Rejects nulls other than {@code limits}.
     *
     * @param userId the user
     * @param platform the platform
     * @param limits the user's limits, or {@code null} when the defaults apply
     * @param daily usage in the calendar day
     * @param weekly usage in the calendar week
     * @param monthly usage in the rolling 30 days
     */
    public PlatformQuotaRecord {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(daily, "daily");
        Objects.requireNonNull(weekly, "weekly");
        Objects.requireNonNull(monthly, "monthly");
    }

    /**
     * An empty record without own limits.
     *
     * @param userId the user
     * @param platform the platform
     * @return the record
     */
    public static PlatformQuotaRecord empty(long userId, String platform) {
        return new PlatformQuotaRecord(userId, platform, null, WindowUsage.EMPTY, WindowUsage.EMPTY, WindowUsage.EMPTY);
    }

    /**
     * @param period the period
     * @return the usage of that period
     */
    public WindowUsage usage(Period period) {
        return switch (period) {
            case DAILY -> daily;
            case WEEKLY -> weekly;
            case MONTHLY -> monthly;
        };
    }

    /**
     * @param newLimits the user's own limits, or {@code null} for the defaults
     * @return a copy with other limits
     */
    public PlatformQuotaRecord withLimits(PeriodLimits newLimits) {
        return new PlatformQuotaRecord(userId, platform, newLimits, daily, weekly, monthly);
    }

    /**
     * Adds a cost to all three windows, resetting expired ones.
     *
     * @param cost nano-units, not negative
     * @param now the current instant
     * @param zone the business zone (calendar day and week)
     * @return the new record
     */
    public PlatformQuotaRecord addUsage(long cost, Instant now, ZoneId zone) {
        return new PlatformQuotaRecord(userId, platform, limits,
                daily.add(QuotaWindows.platform(Period.DAILY), cost, now, zone),
                weekly.add(QuotaWindows.platform(Period.WEEKLY), cost, now, zone),
                monthly.add(QuotaWindows.platform(Period.MONTHLY), cost, now, zone));
    }
}
