package dev.quota.jdbc;

import dev.quota.core.usage.Page;
import dev.quota.core.usage.PageRequest;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageTotals;
import dev.quota.jdbc.report.Granularity;
import dev.quota.jdbc.report.ModelStats;
import dev.quota.jdbc.report.TrendPoint;
import java.time.Instant;
import java.time.Period;
import java.util.List;

/**
 * The reports a gateway shows to one user about their own usage ({@link UsageReports#forUser}). Every query
 * takes a half-open range {@code [from, to)} that may span at most {@link #maxSpan()} (by default one month,
 * see {@link JdbcQuota.Builder#userQuerySpan}), measured in the business zone; a longer range, a range ending
 * before it starts, or a null bound is an {@link IllegalArgumentException} before any SQL runs. Admin queries have
 * no cap: use the {@link UsageReports} methods that take a {@link dev.quota.core.usage.UsageFilter} (they may
 * filter by user).
 *
 * <p>Results are those of the matching {@link UsageReports} method with the filter narrowed to {@link #userId()}.
 * Database failures are {@link dev.quota.core.BackendUnavailableException}. Thread-safe.
 */
public interface UserUsageReports {

    /** @return the user these reports are about */
    long userId();

    /** @return the longest range one query may span */
    Period maxSpan();

    /**
     * @param from inclusive start
     * @param to exclusive end, at most {@link #maxSpan()} after {@code from}
     * @param page the page
     * @return the user's events in the range, newest first
     */
    Page<UsageEvent> list(Instant from, Instant to, PageRequest page);

    /**
     * @param from inclusive start
     * @param to exclusive end, at most {@link #maxSpan()} after {@code from}
     * @return the user's sums in the range
     */
    UsageTotals totals(Instant from, Instant to);

    /**
     * @param from inclusive start
     * @param to exclusive end, at most {@link #maxSpan()} after {@code from}
     * @param granularity the bucket size
     * @return one point per bucket with usage, oldest first, with requests and tokens per minute
     */
    List<TrendPoint> trend(Instant from, Instant to, Granularity granularity);

    /**
     * @param from inclusive start
     * @param to exclusive end, at most {@link #maxSpan()} after {@code from}
     * @return the user's per-model sums, highest charged cost first
     */
    List<ModelStats> modelStats(Instant from, Instant to);
}
