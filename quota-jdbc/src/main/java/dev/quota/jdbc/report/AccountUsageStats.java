package dev.quota.jdbc.report;

import dev.quota.core.usage.UsageTotals;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An upstream account's usage over a range: one point per business day with usage, the range's sums and
 * the per-model breakdown.
 *
 * @param accountId the account
 * @param days the daily points, oldest first, only days with usage
 * @param total the sums over the range
 * @param models the per-model sums, highest charged cost first
 */
public record AccountUsageStats(long accountId, List<TrendPoint> days, UsageTotals total, List<ModelStats> models) {

    /**
     * Copies the lists.
     *
     * @param accountId the account
     * @param days the daily points, oldest first, only days with usage
     * @param total the sums over the range
     * @param models the per-model sums, highest charged cost first
     */
    public AccountUsageStats {
        days = List.copyOf(days);
        Objects.requireNonNull(total, "total");
        models = List.copyOf(models);
    }

    /** @return the day with the highest charged cost (the earliest on a tie), empty without usage */
    public Optional<TrendPoint> highestCostDay() {
        return days.stream().max(Comparator.comparing((TrendPoint p) -> p.totals().actualCost())
                .thenComparing(TrendPoint::start, Comparator.reverseOrder()));
    }

    /** @return the day with the most requests (the earliest on a tie), empty without usage */
    public Optional<TrendPoint> highestRequestDay() {
        return days.stream().max(Comparator.comparingLong((TrendPoint p) -> p.totals().requests())
                .thenComparing(TrendPoint::start, Comparator.reverseOrder()));
    }
}
