package dev.quota.core.spi;

import dev.quota.core.limit.Holds;
import java.util.Objects;

/**
 * What {@link BillingCache#reserve} found and did: the entries (as for a check), the amounts held by
 * other live reservations before this one, and whether the hold was taken.
 *
 * @param view the entries, misses and RPM counts
 * @param heldBefore amounts held by other live holds in each scope
 * @param admitted true when the hold was recorded
 */
public record ReserveView(CheckView view, Holds heldBefore, boolean admitted) {

    /**
     * Rejects nulls.
     *
     * @param view the entries, misses and RPM counts
     * @param heldBefore amounts held by other live holds in each scope
     * @param admitted true when the hold was recorded
     */
    public ReserveView {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(heldBefore, "heldBefore");
    }
}
