package dev.quota.core.limit;

import dev.quota.core.window.WindowUsage;
import java.time.Instant;
import java.util.Objects;

/**
 * A user's subscription to a subscription group: status, expiry and usage (nano-units) in its rolling
 * daily / weekly / monthly windows (see {@link QuotaWindows#subscription(Period)}).
 *
 * @param userId the user
 * @param groupId the subscription group
 * @param status the status
 * @param expiresAt when the subscription ends
 * @param daily usage in the rolling 1-day window
 * @param weekly usage in the rolling 7-day window
 * @param monthly usage in the rolling 30-day window
 */
public record SubscriptionState(long userId, long groupId, SubscriptionStatus status, Instant expiresAt,
                                WindowUsage daily, WindowUsage weekly, WindowUsage monthly) {

    /**
     * Rejects nulls.
     *
     * @param userId the user
     * @param groupId the subscription group
     * @param status the status
     * @param expiresAt when the subscription ends
     * @param daily usage in the rolling 1-day window
     * @param weekly usage in the rolling 7-day window
     * @param monthly usage in the rolling 30-day window
     */
    public SubscriptionState {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(daily, "daily");
        Objects.requireNonNull(weekly, "weekly");
        Objects.requireNonNull(monthly, "monthly");
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
     * A subscription is valid while active and strictly before its expiry: at exactly {@code expiresAt} it is
     * no longer valid (the period bought ends there and is not granted again for that instant). The Redis
     * check script mirrors this rule.
     *
     * @param now the current instant
     * @return true when active and {@code now < expiresAt}
     */
    public boolean isValidAt(Instant now) {
        return status == SubscriptionStatus.ACTIVE && now.isBefore(expiresAt);
    }

    /**
     * Adds a cost to all three windows, resetting expired ones.
     *
     * @param cost nano-units, not negative
     * @param now the current instant
     * @return the new state
     */
    public SubscriptionState addUsage(long cost, Instant now) {
        java.time.ZoneId utc = java.time.ZoneOffset.UTC;
        return new SubscriptionState(userId, groupId, status, expiresAt,
                daily.add(QuotaWindows.subscription(Period.DAILY), cost, now, utc),
                weekly.add(QuotaWindows.subscription(Period.WEEKLY), cost, now, utc),
                monthly.add(QuotaWindows.subscription(Period.MONTHLY), cost, now, utc));
    }
}
