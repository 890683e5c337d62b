package dev.quota.core;

import dev.quota.core.limit.Measure;
import java.math.BigDecimal;

/**
 * A limit on one window in one of three states, as in the production gateways Quota generalises:
 * <ul>
 *   <li><b>unset</b> ({@link #unlimited()}): no limit, every request passes;</li>
 *   <li><b>0</b> ({@link #disabled()}): disabled, every request is denied;</li>
 *   <li><b>&gt; 0</b> ({@link #of(long)}): a cap.</li>
 * </ul>
 * The amount is in the limit's {@link Measure}: nano-units for cost, a count for requests and tokens.
 *
 * <p>A <em>spend</em> check runs before the request (its own cost is unknown) and denies when
 * {@code used >= cap}. A <em>counting</em> check (requests per minute) increments first and denies when
 * {@code count > cap}. Immutable and thread-safe.
 *
 * @param cap the cap, or {@code -1} for unset
 */
public record Limit(long cap) {

    private static final Limit UNLIMITED = new Limit(-1);
    private static final Limit DISABLED = new Limit(0);

    /**
     * Validates the cap.
     *
     * @param cap the cap, or {@code -1} for unset
     */
    public Limit {
        if (cap < -1) {
            throw new IllegalArgumentException("limit must be -1 (unset), 0 (disabled) or positive: " + cap);
        }
    }

    /** @return the unset limit: everything passes */
    public static Limit unlimited() {
        return UNLIMITED;
    }

    /** @return the disabled limit (0): everything is denied */
    public static Limit disabled() {
        return DISABLED;
    }

    /**
     * @param cap the cap; 0 means disabled
     * @return a limit with that cap
     * @throws IllegalArgumentException if {@code cap} is negative
     */
    public static Limit of(long cap) {
        if (cap < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + cap);
        }
        return cap == 0 ? DISABLED : new Limit(cap);
    }

    /**
     * @param cap a money cap; zero means disabled
     * @return a limit in nano-units
     * @throws IllegalArgumentException if {@code cap} is null or negative
     */
    public static Limit of(Money cap) {
        if (cap == null) {
            throw new IllegalArgumentException("cap must not be null");
        }
        return of(cap.nanos());
    }

    /**
     * Reads the storage form used by caches and tables, where {@code null} means unset.
     *
     * @param capOrNull the cap, or {@code null} for unset
     * @return the limit
     */
    public static Limit ofNullable(Long capOrNull) {
        return capOrNull == null ? UNLIMITED : of(capOrNull);
    }

    /** What a {@code 0} means in the limit column a value is read from ({@link #fromColumn(Long, ZeroMeans)}). */
    public enum ZeroMeans {
        /**
         * {@code 0} means "no limit", as in the seed gateways' API-key window columns ({@code rate_limit_5h},
         * {@code rate_limit_1d}, {@code rate_limit_7d}) and RPM columns ({@code users.rpm_limit},
         * {@code groups.rpm_limit}), which apply a limit only when {@code value > 0}: {@code null}, {@code 0} and
         * any negative value read as {@link #unlimited()}.
         */
        UNLIMITED,
        /**
         * {@code 0} means "disabled", Quota's own rule (and that of the seeds' nullable platform-quota columns,
         * where {@code usage >= 0} always denies): {@code null} reads as {@link #unlimited()}, {@code 0} as
         * {@link #disabled()}, a negative value is refused.
         */
        DISABLED
    }

    /**
     * Reads a count limit (requests, tokens) from a column of an existing schema whose {@code 0} may mean
     * "no limit" — Quota's {@link #of(long)} reads {@code 0} as "disabled", so copying such a column as is would
     * deny every request.
     *
     * @param value the column's value, or {@code null}
     * @param zeroMeans what {@code 0} means in that column
     * @return the limit
     * @throws IllegalArgumentException if {@code zeroMeans} is null, or it is {@link ZeroMeans#DISABLED} and
     *                                  {@code value} is negative
     */
    public static Limit fromColumn(Long value, ZeroMeans zeroMeans) {
        if (zeroMeans == null) {
            throw new IllegalArgumentException("zeroMeans must not be null");
        }
        if (value == null || (zeroMeans == ZeroMeans.UNLIMITED && value <= 0)) {
            return UNLIMITED;
        }
        return of(value);
    }

    /**
     * Reads a money limit from a decimal column in currency units (for example USD), as {@link
     * #fromColumn(Long, ZeroMeans)} does for counts.
     *
     * @param amount the column's value in currency units, or {@code null}
     * @param zeroMeans what {@code 0} means in that column
     * @return the limit, in nano-units
     * @throws IllegalArgumentException if {@code zeroMeans} is null, if it is {@link ZeroMeans#DISABLED} and
     *                                  {@code amount} is negative, or if {@code amount} has more than nine decimal
     *                                  places or does not fit
     */
    public static Limit fromColumn(BigDecimal amount, ZeroMeans zeroMeans) {
        if (zeroMeans == null) {
            throw new IllegalArgumentException("zeroMeans must not be null");
        }
        if (amount == null || (zeroMeans == ZeroMeans.UNLIMITED && amount.signum() <= 0)) {
            return UNLIMITED;
        }
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + amount);
        }
        return of(Money.of(amount));
    }

    /** @return true when no limit applies */
    public boolean isUnlimited() {
        return cap < 0;
    }

    /** @return true when the limit is 0: every request is denied */
    public boolean isDisabled() {
        return cap == 0;
    }

    /** @return the cap as a nullable value, {@code null} for unset (the storage form) */
    public Long capOrNull() {
        return cap < 0 ? null : cap;
    }

    /**
     * The spend check: denies when {@code used >= cap}; never denies when unset; always denies when disabled.
     *
     * @param used the usage counted so far in the live window
     * @return true when the request must be denied
     */
    public boolean deniesSpend(long used) {
        return cap >= 0 && used >= cap;
    }

    /**
     * The counting check, applied after incrementing: denies when {@code count > cap}.
     *
     * @param countIncludingThis the count including this request
     * @return true when the request must be denied
     */
    public boolean deniesCount(long countIncludingThis) {
        return cap >= 0 && countIncludingThis > cap;
    }

    /**
     * The reservation check: denies when {@code used + held + estimate > cap}, so that what is admitted
     * never exceeds the cap.
     *
     * @param usedAndHeld usage plus amounts already held
     * @param estimate the amount to hold
     * @return true when the hold must be refused
     */
    public boolean deniesHold(long usedAndHeld, long estimate) {
        if (cap < 0) {
            return false;
        }
        long total;
        try {
            total = Math.addExact(usedAndHeld, estimate);
        } catch (ArithmeticException overflow) {
            return true;
        }
        return total > cap || cap == 0;
    }

    /**
     * Utilization in percent for dashboards ({@code used * 100 / cap}); 0 when unset, 100 when disabled.
     * Floating point is fine here: it is a display value, never money.
     *
     * @param used the usage in the live window
     * @return the utilization percentage, not capped at 100
     */
    public double utilizationPercent(long used) {
        if (cap < 0) {
            return 0.0;
        }
        if (cap == 0) {
            return 100.0;
        }
        return used * 100.0 / cap;
    }

    @Override
    public String toString() {
        return cap < 0 ? "unlimited" : cap == 0 ? "disabled" : Long.toString(cap);
    }
}
