package dev.quota.jdbc.report;

import dev.quota.core.usage.UsageTotals;
import java.util.Objects;

/**
 * A user's or API key's usage today (the business day in progress) and of all time, as a user list or a
 * key list shows it next to each row.
 *
 * @param today the sums since today's 00:00 in the business zone
 * @param total the sums of all time
 */
public record UsageSummary(UsageTotals today, UsageTotals total) {

    /** Nothing today and nothing ever. */
    public static final UsageSummary EMPTY = new UsageSummary(UsageTotals.ZERO, UsageTotals.ZERO);

    /**
     * Rejects nulls.
     *
     * @param today the sums since today's 00:00 in the business zone
     * @param total the sums of all time
     */
    public UsageSummary {
        Objects.requireNonNull(today, "today");
        Objects.requireNonNull(total, "total");
    }
}
