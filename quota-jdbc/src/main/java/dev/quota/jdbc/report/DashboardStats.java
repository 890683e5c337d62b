package dev.quota.jdbc.report;

import dev.quota.core.usage.UsageTotals;
import java.util.Objects;

/**
 * The admin dashboard's figures, all derived from the usage ledger.
 *
 * @param total the sums of all time
 * @param today the sums of the business day in progress
 * @param users distinct users that ever made a request
 * @param activeUsersToday distinct users with a request today
 * @param apiKeys distinct API keys ever used
 * @param activeApiKeysToday distinct API keys used today
 * @param requestsPerMinute requests per minute, averaged over the last five minutes
 * @param tokensPerMinute tokens per minute, averaged over the last five minutes
 */
public record DashboardStats(UsageTotals total, UsageTotals today, long users, long activeUsersToday,
                             long apiKeys, long activeApiKeysToday, long requestsPerMinute,
                             long tokensPerMinute) {

    /**
     * Rejects nulls.
     *
     * @param total the sums of all time
     * @param today the sums of the business day in progress
     * @param users distinct users that ever made a request
     * @param activeUsersToday distinct users with a request today
     * @param apiKeys distinct API keys ever used
     * @param activeApiKeysToday distinct API keys used today
     * @param requestsPerMinute requests per minute, averaged over the last five minutes
     * @param tokensPerMinute tokens per minute, averaged over the last five minutes
     */
    public DashboardStats {
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(today, "today");
    }
}
