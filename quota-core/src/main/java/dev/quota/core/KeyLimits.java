package dev.quota.core;

import dev.quota.core.limit.KeyWindow;
import java.util.Objects;

/**
 * Spend limits (nano-units) of an API key over its rolling 5-hour, 1-day and 7-day windows.
 *
 * @param fiveHours the 5 h limit
 * @param oneDay the 1 d limit
 * @param sevenDays the 7 d limit
 */
public record KeyLimits(Limit fiveHours, Limit oneDay, Limit sevenDays) {

    /** No key limits. */
    public static final KeyLimits UNLIMITED = new KeyLimits(Limit.unlimited(), Limit.unlimited(), Limit.unlimited());

    /**
     * Rejects nulls.
     *
     * @param fiveHours the 5 h limit
     * @param oneDay the 1 d limit
     * @param sevenDays the 7 d limit
     */
    public KeyLimits {
        Objects.requireNonNull(fiveHours, "fiveHours");
        Objects.requireNonNull(oneDay, "oneDay");
        Objects.requireNonNull(sevenDays, "sevenDays");
    }

    /**
     * @param window the key window
     * @return its limit
     */
    public Limit of(KeyWindow window) {
        return switch (window) {
            case FIVE_HOURS -> fiveHours;
            case ONE_DAY -> oneDay;
            case SEVEN_DAYS -> sevenDays;
        };
    }

    /** @return true when no window has a limit */
    public boolean isUnlimited() {
        return fiveHours.isUnlimited() && oneDay.isUnlimited() && sevenDays.isUnlimited();
    }
}
