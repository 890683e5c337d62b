package dev.quota.core.spi;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.PlatformQuotaDefaults;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.Money;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * User × platform quota records (own limits, usage and window starts) and the configured defaults, in the
 * source of truth. Failures are reported as {@link BackendUnavailableException}. Thread-safe.
 */
public interface PlatformQuotaStore {

    /**
     * @param userId the user
     * @param platform the platform
     * @return the record, empty when the user has none on that platform
     */
    Optional<PlatformQuotaRecord> find(long userId, String platform);

    /**
     * Sets a user's own limits on a platform, creating the record when absent; usage is kept.
     *
     * @param userId the user
     * @param platform the platform
     * @param limits the limits, or {@code null} to fall back to the defaults
     */
    void setLimits(long userId, String platform, PeriodLimits limits);

    /**
     * Adds a cost to the calendar day, calendar week and rolling 30-day windows in one atomic step,
     * creating the record (without own limits) when absent and resetting expired windows.
     *
     * @param userId the user
     * @param platform the platform
     * @param cost the cost, not negative
     * @param now the current instant (from the service's clock)
     * @param zone the business zone
     * @return the record after the increment
     * @throws IllegalArgumentException if {@code cost} is negative or the platform blank
     */
    PlatformQuotaRecord addUsage(long userId, String platform, Money cost, Instant now, ZoneId zone);

    /** @return the configured defaults ({@link PlatformQuotaDefaults#NONE} until replaced) */
    PlatformQuotaDefaults defaults();

    /**
     * Replaces the defaults as a whole.
     *
     * @param defaults the new defaults
     */
    void replaceDefaults(PlatformQuotaDefaults defaults);
}
