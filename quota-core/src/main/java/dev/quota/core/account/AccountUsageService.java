package dev.quota.core.account;

import dev.quota.core.BackendUnavailableException;
import dev.quota.core.internal.DefaultAccountUsageService;
import dev.quota.core.spi.UpstreamUsageFetcher;
import dev.quota.core.spi.UsageLog;
import dev.quota.core.usage.UsageTotals;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;

/**
 * Answers, per upstream account, how much of the provider's 5-hour and 7-day allowance is used, when each
 * window resets and what the gateway itself sent through the account in the current window and today.
 *
 * <ul>
 *   <li>{@link AccountKind#OAUTH}: the provider's figures are fetched through {@link UpstreamUsageFetcher} and
 *       cached per account for {@link Builder#upstreamTtl(Duration)} (default 10 min); concurrent callers for
 *       one account share one fetch; a failed fetch is not cached.</li>
 *   <li>{@link AccountKind#SETUP_TOKEN}: the 5-hour window is estimated from the account's
 *       {@link SessionWindow}: {@link SessionStatus#REJECTED} 100 %, {@link SessionStatus#ALLOWED_WARNING} 80 %,
 *       otherwise 0 %, resetting at the window's end; no 7-day windows.</li>
 *   <li>{@link AccountKind#API_KEY}: {@link UsageNotSupportedException}.</li>
 * </ul>
 *
 * <p>The window statistics (the gateway's own requests, tokens and costs through the account since the session
 * window's start, or over the last 5 hours when the start is unknown) are read from the {@link UsageLog} and
 * cached separately for {@link Builder#statisticsTtl(Duration)} (default 1 min), so they stay fresh while the
 * provider's figures come from the cache. A failure to read them is logged and the answer carries the provider's
 * figures without statistics. Remaining seconds are computed from the clock on every call.
 *
 * <p>All time comes from the injected {@link Clock}; both caches are bounded
 * ({@link Builder#maxCachedAccounts(int)}, the oldest entry leaves first). Thread-safe.
 *
 * <pre>{@code
 * AccountUsageService accounts = AccountUsageService.builder()
 *     .fetcher(fetcher).usageLog(usageLog).clock(clock).zone(ZoneId.of("Asia/Shanghai"))
 *     .build();
 * AccountUsage usage = accounts.usage(UpstreamAccount.oauth(7));
 * }</pre>
 */
public interface AccountUsageService {

    /**
     * The usage windows of one account.
     *
     * @param account the account, as the gateway knows it
     * @return its windows; the five-hour window is always present
     * @throws IllegalArgumentException if {@code account} is null
     * @throws UsageNotSupportedException if the account's kind cannot report usage
     * @throws UpstreamAuthenticationException if the provider refused the account's credentials
     * @throws BackendUnavailableException if the provider failed, timed out or rate-limited the call
     *     ({@link UpstreamRateLimitedException}); nothing is cached then
     */
    AccountUsage usage(UpstreamAccount account);

    /**
     * The gateway's own usage through an account today: {@code [today 00:00, tomorrow 00:00)} in the business
     * zone, read from the usage log on every call (not cached).
     *
     * @param accountId the account
     * @return the totals (requests, tokens, costs); {@link UsageTotals#ZERO} when nothing was sent
     * @throws BackendUnavailableException if the usage log failed
     */
    UsageTotals todayStatistics(long accountId);

    /** @return a builder with the defaults */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Configures an {@link AccountUsageService}. Each setter validates its argument at once; {@link #build()}
     * checks that the required parts are set. Not thread-safe; the built service is.
     */
    final class Builder {

        /** Default time the provider's figures are served from the cache: 10 minutes. */
        public static final Duration DEFAULT_UPSTREAM_TTL = Duration.ofMinutes(10);
        /** Default time the window statistics are served from the cache: 1 minute. */
        public static final Duration DEFAULT_STATISTICS_TTL = Duration.ofMinutes(1);
        /** Default bound of each cache, in accounts. */
        public static final int DEFAULT_MAX_CACHED_ACCOUNTS = 10_000;
        /** Default time a caller waits for a fetch another caller started: 60 seconds. */
        public static final Duration DEFAULT_FETCH_WAIT = Duration.ofSeconds(60);

        private UpstreamUsageFetcher fetcher;
        private UsageLog usageLog;
        private Clock clock;
        private ZoneId zone;
        private Duration upstreamTtl = DEFAULT_UPSTREAM_TTL;
        private Duration statisticsTtl = DEFAULT_STATISTICS_TTL;
        private int maxCachedAccounts = DEFAULT_MAX_CACHED_ACCOUNTS;
        private Duration fetchWait = DEFAULT_FETCH_WAIT;

        private Builder() {
        }

        /**
         * @param fetcher the provider's usage endpoint (required)
         * @return this
         * @throws IllegalArgumentException if null
         */
        public Builder fetcher(UpstreamUsageFetcher fetcher) {
            this.fetcher = required(fetcher, "fetcher");
            return this;
        }

        /**
         * @param usageLog the usage ledger the window and today's statistics are read from, filtered by account
         *     (required)
         * @return this
         * @throws IllegalArgumentException if null
         */
        public Builder usageLog(UsageLog usageLog) {
            this.usageLog = required(usageLog, "usageLog");
            return this;
        }

        /**
         * @param clock the source of "now" for caches, remaining seconds and windows (required; the gate's clock)
         * @return this
         * @throws IllegalArgumentException if null
         */
        public Builder clock(Clock clock) {
            this.clock = required(clock, "clock");
            return this;
        }

        /**
         * @param zone the business zone whose calendar day {@link #todayStatistics(long)} covers (required; the
         *     gate's zone)
         * @return this
         * @throws IllegalArgumentException if null
         */
        public Builder zone(ZoneId zone) {
            this.zone = required(zone, "zone");
            return this;
        }

        /**
         * @param ttl how long the provider's figures for an account are served from the cache; positive, at most
         *     one day; default {@link #DEFAULT_UPSTREAM_TTL}
         * @return this
         * @throws IllegalArgumentException if null, not positive or longer than a day
         */
        public Builder upstreamTtl(Duration ttl) {
            this.upstreamTtl = ttl(ttl, "upstreamTtl");
            return this;
        }

        /**
         * @param ttl how long an account's window statistics are served from the cache; positive, at most one
         *     day; default {@link #DEFAULT_STATISTICS_TTL}
         * @return this
         * @throws IllegalArgumentException if null, not positive or longer than a day
         */
        public Builder statisticsTtl(Duration ttl) {
            this.statisticsTtl = ttl(ttl, "statisticsTtl");
            return this;
        }

        /**
         * @param max how many accounts each cache holds at most (the oldest entry leaves first); 1 to 1,000,000;
         *     default {@value #DEFAULT_MAX_CACHED_ACCOUNTS}
         * @return this
         * @throws IllegalArgumentException if out of range
         */
        public Builder maxCachedAccounts(int max) {
            if (max < 1 || max > 1_000_000) {
                throw new IllegalArgumentException("maxCachedAccounts must be 1..1000000: " + max);
            }
            this.maxCachedAccounts = max;
            return this;
        }

        /**
         * @param wait how long a caller waits for a fetch of the same account that another caller started
         *     (the fetcher's own timeouts bound the fetch itself); positive, at most 10 minutes; default
         *     {@link #DEFAULT_FETCH_WAIT}
         * @return this
         * @throws IllegalArgumentException if null, not positive or longer than 10 minutes
         */
        public Builder fetchWait(Duration wait) {
            if (wait == null || wait.isNegative() || wait.isZero() || wait.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("fetchWait must be positive and at most 10 minutes: " + wait);
            }
            this.fetchWait = wait;
            return this;
        }

        /**
         * @return the service
         * @throws IllegalStateException if the fetcher, usage log, clock or zone is missing
         */
        public AccountUsageService build() {
            if (fetcher == null || usageLog == null || clock == null || zone == null) {
                throw new IllegalStateException("fetcher, usageLog, clock and zone are required");
            }
            return new DefaultAccountUsageService(fetcher, usageLog, clock, zone, upstreamTtl, statisticsTtl,
                    maxCachedAccounts, fetchWait);
        }

        private static <T> T required(T value, String name) {
            if (value == null) {
                throw new IllegalArgumentException(name + " must not be null");
            }
            return value;
        }

        private static Duration ttl(Duration ttl, String name) {
            if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException(name + " must be positive and at most one day: " + ttl);
            }
            return ttl;
        }
    }
}
