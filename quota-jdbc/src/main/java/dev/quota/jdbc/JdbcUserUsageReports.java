package dev.quota.jdbc;

import dev.quota.core.usage.Page;
import dev.quota.core.usage.PageRequest;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageFilter;
import dev.quota.core.usage.UsageTotals;
import dev.quota.jdbc.report.Granularity;
import dev.quota.jdbc.report.ModelStats;
import dev.quota.jdbc.report.TrendPoint;
import java.time.Instant;
import java.time.Period;
import java.util.List;
import java.util.Objects;

/** {@link UserUsageReports}: the span check, then the admin query narrowed to the user. */
final class JdbcUserUsageReports implements UserUsageReports {

    private final UsageReports reports;
    private final long userId;
    private final Period maxSpan;

    JdbcUserUsageReports(UsageReports reports, long userId, Period maxSpan) {
        if (userId <= 0) {
            throw new IllegalArgumentException("userId must be positive: " + userId);
        }
        this.reports = Objects.requireNonNull(reports, "reports");
        this.userId = userId;
        this.maxSpan = checkSpan(maxSpan);
    }

    /**
     * @param span a maximum query span
     * @return it, when it is positive (no negative part, not zero)
     * @throws IllegalArgumentException otherwise
     */
    static Period checkSpan(Period span) {
        if (span == null || span.isZero() || span.isNegative()) {
            throw new IllegalArgumentException("the user query span must be positive (e.g. P1M): " + span);
        }
        return span;
    }

    @Override
    public long userId() {
        return userId;
    }

    @Override
    public Period maxSpan() {
        return maxSpan;
    }

    @Override
    public Page<UsageEvent> list(Instant from, Instant to, PageRequest page) {
        Objects.requireNonNull(page, "page");
        return reports.list(range(from, to), page);
    }

    @Override
    public UsageTotals totals(Instant from, Instant to) {
        return reports.totals(range(from, to));
    }

    @Override
    public List<TrendPoint> trend(Instant from, Instant to, Granularity granularity) {
        if (granularity == null) {
            throw new IllegalArgumentException("granularity must not be null");
        }
        return reports.trend(range(from, to), granularity);
    }

    @Override
    public List<ModelStats> modelStats(Instant from, Instant to) {
        return reports.modelStats(range(from, to));
    }

    /** The user's filter for {@code [from, to)} once the range passed the span check. */
    private UsageFilter range(Instant from, Instant to) {
        if (from == null || to == null) {
            throw new IllegalArgumentException("a user query needs both bounds: from " + from + ", to " + to);
        }
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("to must not be before from: " + from + " > " + to);
        }
        Instant limit = from.atZone(reports.zone()).plus(maxSpan).toInstant();
        if (to.isAfter(limit)) {
            throw new IllegalArgumentException("a user query may span at most " + maxSpan + " (from " + from
                    + " the range may end at " + limit + ", not " + to + "); admin queries have no cap");
        }
        return UsageFilter.all().withUser(userId).between(from, to);
    }
}
