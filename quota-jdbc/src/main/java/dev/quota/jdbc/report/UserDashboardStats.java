package dev.quota.jdbc.report;

import dev.quota.core.usage.UsageTotals;
import java.util.Objects;

/**
 * One user's dashboard figures, derived from the usage ledger.
 *
 * @param userId the user
 * @param total the user's sums of all time
 * @param today the user's sums of the business day in progress
 * @param apiKeys distinct API keys the user ever used
 * @param activeApiKeysToday distinct API keys the user used today
 * @param requestsPerMinute the user's requests per minute, averaged over the last five minutes
 * @param tokensPerMinute the user's tokens per minute, averaged over the last five minutes
 */
public record UserDashboardStats(long userId, UsageTotals total, UsageTotals today, long apiKeys,
                                 long activeApiKeysToday, long requestsPerMinute, long tokensPerMinute) {

    /**
     * Rejects nulls.
     *
     * @param userId the user
     * @param total the user's sums of all time
     * @param today the user's sums of the business day in progress
     * @param apiKeys distinct API keys the user ever used
     * @param activeApiKeysToday distinct API keys the user used today
     * @param requestsPerMinute the user's requests per minute, averaged over the last five minutes
     * @param tokensPerMinute the user's tokens per minute, averaged over the last five minutes
     */
    public UserDashboardStats {
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(today, "today");
    }
}
