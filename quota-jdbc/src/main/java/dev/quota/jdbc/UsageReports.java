package dev.quota.jdbc;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.usage.Page;
import dev.quota.core.usage.PageRequest;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageFilter;
import dev.quota.core.usage.UsageTotals;
import dev.quota.jdbc.report.AccountUsageStats;
import dev.quota.jdbc.report.ApiKeyTrendPoint;
import dev.quota.jdbc.report.DashboardStats;
import dev.quota.jdbc.report.Granularity;
import dev.quota.jdbc.report.ModelStats;
import dev.quota.jdbc.report.TrendPoint;
import dev.quota.jdbc.report.UsageSummary;
import dev.quota.jdbc.report.UserDashboardStats;
import dev.quota.jdbc.report.UserTrendPoint;
import dev.quota.jdbc.report.WindowStats;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The reporting queries a gateway's dashboards run on the usage ledger: listings, window and daily stats,
 * trends, per-model and per-account breakdowns, top-N trends, batched per-row stats, dashboards.
 *
 * <p>These are admin queries: no cap on the time range, and the {@link UsageFilter} ones may filter by user.
 * What a user sees about their own usage goes through {@link #forUser}, whose ranges are capped
 * ({@link #userQuerySpan()}, one month by default).
 *
 * <p>Time ranges are half-open {@code [from, to)} and always bound from the caller; "today" and "the last
 * five minutes" come from the clock the reports were created with, and day, week and hour boundaries follow
 * the business {@link #zone()}. Buckets are computed in Java from exact millisecond sums, so the results
 * are identical on every dialect. Costs are exact {@link dev.quota.core.Money}.
 *
 * <p>Every method reports database failures as {@link BackendUnavailableException} and rejects bad
 * arguments with {@link IllegalArgumentException} before any SQL runs. Thread-safe.
 */
public interface UsageReports {

    /** @return the business zone that day, week and hour boundaries follow */
    ZoneId zone();

    /**
     * Lists matching events, newest first (ties by request id).
     *
     * @param filter the filter (any combination of user, key, account, group, model, platform, time range)
     * @param page the page
     * @return the page and the total number of matches
     */
    Page<UsageEvent> list(UsageFilter filter, PageRequest page);

    /**
     * @param userId the user
     * @param from inclusive start
     * @param to exclusive end
     * @param page the page
     * @return the user's events in the range, newest first
     */
    Page<UsageEvent> listByUser(long userId, Instant from, Instant to, PageRequest page);

    /**
     * @param apiKeyId the API key
     * @param from inclusive start
     * @param to exclusive end
     * @param page the page
     * @return the key's events in the range, newest first
     */
    Page<UsageEvent> listByApiKey(long apiKeyId, Instant from, Instant to, PageRequest page);

    /**
     * @param accountId the upstream account
     * @param from inclusive start
     * @param to exclusive end
     * @param page the page
     * @return the account's events in the range, newest first
     */
    Page<UsageEvent> listByAccount(long accountId, Instant from, Instant to, PageRequest page);

    /**
     * @param model the model
     * @param from inclusive start
     * @param to exclusive end
     * @param page the page
     * @return the model's events in the range, newest first
     */
    Page<UsageEvent> listByModel(String model, Instant from, Instant to, PageRequest page);

    /**
     * An upstream account's usage since its window started (e.g. the provider's 5-hour session window).
     *
     * @param accountId the account
     * @param windowStart inclusive start; no upper bound
     * @return requests, tokens and charged cost
     */
    WindowStats accountWindowStats(long accountId, Instant windowStart);

    /**
     * @param accountId the account
     * @return the account's requests, tokens and charged cost of the business day in progress
     */
    WindowStats accountTodayStats(long accountId);

    /**
     * @param filter the filter
     * @return the sums of the matching events
     */
    UsageTotals totals(UsageFilter filter);

    /**
     * @param from inclusive start
     * @param to exclusive end
     * @return the sums of every event in the range
     */
    UsageTotals globalStats(Instant from, Instant to);

    /**
     * @param userId the user
     * @param from inclusive start
     * @param to exclusive end
     * @return the user's sums in the range
     */
    UsageTotals userStats(long userId, Instant from, Instant to);

    /**
     * @param apiKeyId the API key
     * @param from inclusive start
     * @param to exclusive end
     * @return the key's sums in the range
     */
    UsageTotals apiKeyStats(long apiKeyId, Instant from, Instant to);

    /**
     * A usage trend: the matching events summed per bucket of the business zone.
     *
     * @param filter the filter; {@code from} and {@code to} are required (e.g. narrow it to a user or a key)
     * @param granularity the bucket size
     * @return one point per bucket with usage, oldest first
     * @throws IllegalArgumentException if the filter has no time range
     */
    List<TrendPoint> trend(UsageFilter filter, Granularity granularity);

    /**
     * @param filter the filter (e.g. a time range and a user, key or account)
     * @return per-model sums, highest charged cost first (ties by model name)
     */
    List<ModelStats> modelStats(UsageFilter filter);

    /**
     * The trend of the {@code limit} API keys with the most tokens in the range.
     *
     * @param from inclusive start
     * @param to exclusive end
     * @param granularity the bucket size
     * @param limit how many keys, 1 to 1000
     * @return points ordered by bucket, then tokens (descending), then key
     */
    List<ApiKeyTrendPoint> topApiKeyTrend(Instant from, Instant to, Granularity granularity, int limit);

    /**
     * The trend of the {@code limit} users with the most tokens in the range.
     *
     * @param from inclusive start
     * @param to exclusive end
     * @param granularity the bucket size
     * @param limit how many users, 1 to 1000
     * @return points ordered by bucket, then tokens (descending), then user
     */
    List<UserTrendPoint> topUserTrend(Instant from, Instant to, Granularity granularity, int limit);

    /**
     * Today's and all-time usage of many users at once (one row each in an admin user list).
     *
     * @param userIds the users
     * @return a summary for every given user ({@link UsageSummary#EMPTY} without usage)
     */
    Map<Long, UsageSummary> batchUserStats(Collection<Long> userIds);

    /**
     * Today's and all-time usage of many API keys at once.
     *
     * @param apiKeyIds the keys
     * @return a summary for every given key ({@link UsageSummary#EMPTY} without usage)
     */
    Map<Long, UsageSummary> batchApiKeyStats(Collection<Long> apiKeyIds);

    /** @return the admin dashboard figures at the clock's current time */
    DashboardStats dashboard();

    /**
     * @param userId the user
     * @return the user's dashboard figures at the clock's current time
     */
    UserDashboardStats userDashboard(long userId);

    /**
     * @param accountId the upstream account
     * @param from inclusive start
     * @param to exclusive end
     * @return the account's daily history, sums and per-model breakdown in the range
     */
    AccountUsageStats accountUsageStats(long accountId, Instant from, Instant to);

    /** @return the longest range a {@link #forUser} query may span (one month unless configured) */
    Period userQuerySpan();

    /**
     * The user-facing reports of one user: the same queries narrowed to the user, each range at most
     * {@link #userQuerySpan()} long.
     *
     * @param userId the user, positive
     * @return the user's reports; thread-safe
     * @throws IllegalArgumentException if {@code userId} is not positive
     */
    UserUsageReports forUser(long userId);
}
