package dev.quota.core.limit;

import dev.quota.core.Limit;
import java.util.Objects;

/**
 * A set of daily, weekly and monthly cost limits (nano-units), replaced as a whole: used for subscription
 * groups and for user × platform quotas.
 *
 * @param daily the daily limit
 * @param weekly the weekly limit
 * @param monthly the monthly limit
 */
public record PeriodLimits(Limit daily, Limit weekly, Limit monthly) {

    /** No limits at all. */
    public static final PeriodLimits UNLIMITED = new PeriodLimits(Limit.unlimited(), Limit.unlimited(), Limit.unlimited());

    /**
     * Rejects nulls.
     *
     * @param daily the daily limit
     * @param weekly the weekly limit
     * @param monthly the monthly limit
     */
    public PeriodLimits {
        Objects.requireNonNull(daily, "daily");
        Objects.requireNonNull(weekly, "weekly");
        Objects.requireNonNull(monthly, "monthly");
    }

    /**
     * @param period the period
     * @return the limit of that period
     */
    public Limit of(Period period) {
        return switch (period) {
            case DAILY -> daily;
            case WEEKLY -> weekly;
            case MONTHLY -> monthly;
        };
    }

    /** @return true when every period is unlimited */
    public boolean isUnlimited() {
        return daily.isUnlimited() && weekly.isUnlimited() && monthly.isUnlimited();
    }
}
