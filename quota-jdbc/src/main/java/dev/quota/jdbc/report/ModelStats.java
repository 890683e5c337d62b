package dev.quota.jdbc.report;

import dev.quota.core.usage.UsageTotals;
import java.util.Objects;

/**
 * Usage of one model.
 *
 * @param model the model, {@code ""} for events recorded without a model
 * @param totals the model's sums
 */
public record ModelStats(String model, UsageTotals totals) {

    /**
     * Rejects nulls.
     *
     * @param model the model, {@code ""} for events recorded without a model
     * @param totals the model's sums
     */
    public ModelStats {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(totals, "totals");
    }
}
