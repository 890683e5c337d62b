package dev.quota.core.account;

import dev.quota.core.usage.UsageTotals;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One usage window of an upstream account as {@link AccountUsageService} answers it. Immutable; the remaining
 * seconds were computed from the service's clock when the answer was built (never cached).
 *
 * @param utilizationPercent the provider's utilization in percent (100 = allowance used up), or the estimate
 *     for a setup-token account
 * @param resetsAt when the window resets; empty when the provider gave no (parsable) reset time
 * @param remainingSeconds whole seconds from the answer's time to {@code resetsAt}, rounded down; 0 when the
 *     reset time is unknown or past; never negative
 * @param statistics the gateway's own usage through the account in this window (requests, tokens, costs);
 *     present only on the five-hour window, and empty there when the statistics could not be read
 */
public record UsageWindow(double utilizationPercent, Optional<Instant> resetsAt, long remainingSeconds,
                          Optional<UsageTotals> statistics) {

    /**
     * Validates.
     *
     * @param utilizationPercent the utilization in percent, finite and {@code >= 0}
     * @param resetsAt when the window resets, or empty
     * @param remainingSeconds seconds to the reset, {@code >= 0}
     * @param statistics the gateway's own usage in the window, or empty
     * @throws IllegalArgumentException on a null optional, a negative or non-finite utilization or negative
     *     remaining seconds
     */
    public UsageWindow {
        if (!Double.isFinite(utilizationPercent) || utilizationPercent < 0) {
            throw new IllegalArgumentException("utilizationPercent must be a finite number >= 0: " + utilizationPercent);
        }
        if (remainingSeconds < 0) {
            throw new IllegalArgumentException("remainingSeconds must not be negative: " + remainingSeconds);
        }
        if (resetsAt == null || statistics == null) {
            throw new IllegalArgumentException("resetsAt and statistics must not be null (use Optional.empty())");
        }
    }

    /**
     * A window without statistics whose remaining seconds are computed from {@code now}.
     *
     * @param utilizationPercent the utilization in percent
     * @param resetsAt when the window resets, or {@code null}
     * @param now the time of the answer
     * @return the window
     */
    public static UsageWindow at(double utilizationPercent, Instant resetsAt, Instant now) {
        Objects.requireNonNull(now, "now");
        long remaining = resetsAt == null || !resetsAt.isAfter(now) ? 0 : Duration.between(now, resetsAt).getSeconds();
        return new UsageWindow(utilizationPercent, Optional.ofNullable(resetsAt), remaining, Optional.empty());
    }

    /**
     * @param totals the gateway's own usage in the window
     * @return a copy carrying those statistics
     */
    public UsageWindow withStatistics(UsageTotals totals) {
        return new UsageWindow(utilizationPercent, resetsAt, remainingSeconds, Optional.of(totals));
    }
}
