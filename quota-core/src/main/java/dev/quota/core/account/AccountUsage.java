package dev.quota.core.account;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The answer of {@link AccountUsageService#usage(UpstreamAccount)}: an upstream account's usage windows.
 * Immutable.
 *
 * @param accountId the account
 * @param updatedAt when the provider's figures were fetched (they may come from the cache); for a setup-token
 *     estimate, the time of the answer
 * @param fiveHour the 5-hour (session) window; always present, even when the provider gave no reset time
 *     (then utilization as reported, no reset, 0 remaining seconds); carries the window statistics
 * @param sevenDay the 7-day window over all models; present only when the provider gave a reset time for it
 * @param sevenDayByModelFamily the 7-day windows per model family (e.g. {@code "sonnet"}), in the provider's
 *     order; a family appears only when the provider gave a reset time for it
 */
public record AccountUsage(long accountId, Instant updatedAt, UsageWindow fiveHour, Optional<UsageWindow> sevenDay,
                           Map<String, UsageWindow> sevenDayByModelFamily) {

    /**
     * Validates and copies the map (keeping its order).
     *
     * @param accountId the account
     * @param updatedAt when the figures were fetched
     * @param fiveHour the 5-hour window
     * @param sevenDay the 7-day window, or empty
     * @param sevenDayByModelFamily the per-family 7-day windows
     * @throws IllegalArgumentException on a null argument
     */
    public AccountUsage {
        if (updatedAt == null || fiveHour == null || sevenDay == null || sevenDayByModelFamily == null) {
            throw new IllegalArgumentException("updatedAt, fiveHour, sevenDay and sevenDayByModelFamily must not be null");
        }
        sevenDayByModelFamily = Collections.unmodifiableMap(new LinkedHashMap<>(sevenDayByModelFamily));
    }
}
