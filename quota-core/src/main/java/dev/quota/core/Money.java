package dev.quota.core;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * An exact amount of money in <em>nano-units</em> of the gateway's currency (1 USD = 1_000_000_000 nanos).
 *
 * <p>Money is a 64-bit count of nanos, so it is exact for every amount between about
 * -9.2 and +9.2 billion units, far above 2^53 nanos where a {@code double} stops being exact. No
 * floating point is used anywhere: parse from a decimal {@link String} or {@link BigDecimal}, format
 * with {@link #toPlainString()}. Arithmetic throws {@link ArithmeticException} on overflow instead of
 * wrapping.
 *
 * <p>Parsing is exact: input with more than 9 decimals is rejected unless a {@link RoundingMode} is given,
 * and {@link #ofCharge(BigDecimal, RoundingMode)} never rounds a positive charge down to zero.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Money implements Comparable<Money> {

    /** Number of nano-units in one whole unit (1 USD). */
    public static final long NANOS_PER_UNIT = 1_000_000_000L;
    /** Number of decimal places a {@code Money} keeps. */
    public static final int SCALE = 9;
    /** Zero. */
    public static final Money ZERO = new Money(0L);
    /** The largest representable amount (about 9.2 billion units). */
    public static final Money MAX = new Money(Long.MAX_VALUE);

    private static final BigDecimal NANOS = BigDecimal.valueOf(NANOS_PER_UNIT);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final long nanos;

    private Money(long nanos) {
        this.nanos = nanos;
    }

    /**
     * Returns the amount of {@code nanos} nano-units.
     *
     * @param nanos nano-units, any sign
     * @return the amount
     */
    public static Money ofNanos(long nanos) {
        return nanos == 0 ? ZERO : new Money(nanos);
    }

    /**
     * Returns the amount of {@code units} whole units (e.g. dollars).
     *
     * @param units whole units
     * @return the amount
     * @throws ArithmeticException if the amount does not fit in 64-bit nanos
     */
    public static Money ofUnits(long units) {
        return ofNanos(Math.multiplyExact(units, NANOS_PER_UNIT));
    }

    /**
     * Parses a plain decimal string such as {@code "12.5"}, {@code "-0.000000001"} or {@code "1e-3"}.
     *
     * @param decimal a decimal number with at most 9 fraction digits
     * @return the exact amount
     * @throws IllegalArgumentException if the text is null, blank, not a number (including {@code NaN} and
     *         {@code Infinity}), has more than 9 decimals, or does not fit in 64-bit nanos
     */
    public static Money parse(String decimal) {
        return of(toBigDecimal(decimal), null);
    }

    /**
     * Parses a decimal string, rounding to 9 decimals with {@code rounding} when it has more.
     *
     * @param decimal a decimal number
     * @param rounding how to round digits beyond the 9th decimal; not null
     * @return the amount
     * @throws IllegalArgumentException if the text is not a finite decimal number or does not fit
     */
    public static Money parse(String decimal, RoundingMode rounding) {
        return of(toBigDecimal(decimal), Objects.requireNonNull(rounding, "rounding"));
    }

    /**
     * Converts an exact {@link BigDecimal}.
     *
     * @param amount an amount with at most 9 significant decimals
     * @return the amount
     * @throws IllegalArgumentException if {@code amount} is null, has more than 9 decimals or does not fit
     */
    public static Money of(BigDecimal amount) {
        return of(amount, null);
    }

    /**
     * Converts a {@link BigDecimal}, rounding beyond the 9th decimal with {@code rounding}.
     *
     * @param amount the amount; not null
     * @param rounding rounding for extra decimals, or {@code null} to reject them
     * @return the amount
     * @throws IllegalArgumentException if {@code amount} is null, needs rounding and none is given, or does not fit
     */
    public static Money of(BigDecimal amount, RoundingMode rounding) {
        if (amount == null) {
            throw new IllegalArgumentException("amount must not be null");
        }
        // Decide on the magnitude before scaling: an exponent like 1e30000000 must never be expanded.
        long integerDigits = (long) amount.precision() - amount.scale();
        if (amount.signum() != 0 && integerDigits > 19) {
            throw new IllegalArgumentException("amount " + brief(amount) + " does not fit in 64-bit nano-units");
        }
        if (amount.signum() != 0 && -integerDigits > SCALE + 1) {
            // Smaller than a tenth of a nano: only rounding can make something of it, and only 0 or +-1 nano.
            if (rounding == null) {
                throw new IllegalArgumentException("amount " + brief(amount) + " has more than " + SCALE
                        + " decimals; pass a RoundingMode to round it");
            }
            amount = BigDecimal.valueOf(amount.signum(), SCALE + 2);
        }
        BigDecimal scaled;
        try {
            scaled = amount.setScale(SCALE, rounding == null ? RoundingMode.UNNECESSARY : rounding);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    "amount " + brief(amount) + " has more than " + SCALE
                            + " decimals; pass a RoundingMode to round it", e);
        }
        BigInteger n = scaled.unscaledValue();
        if (n.compareTo(LONG_MIN) < 0 || n.compareTo(LONG_MAX) > 0) {
            throw new IllegalArgumentException("amount " + brief(amount) + " does not fit in 64-bit nano-units");
        }
        return ofNanos(n.longValueExact());
    }

    /**
     * Converts a charge for a request, rounding to nanos with {@code rounding} but never rounding a positive
     * charge down to zero: anything above zero costs at least one nano-unit.
     *
     * @param amount the charge; must not be negative
     * @param rounding rounding for extra decimals; not null
     * @return the charge, at least one nano when {@code amount > 0}
     * @throws IllegalArgumentException if the amount is null, negative or does not fit
     */
    public static Money ofCharge(BigDecimal amount, RoundingMode rounding) {
        Objects.requireNonNull(rounding, "rounding");
        if (amount == null) {
            throw new IllegalArgumentException("charge must not be null");
        }
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("charge must not be negative: " + brief(amount));
        }
        Money m = of(amount, rounding);
        if (m.isZero() && amount.signum() > 0) {
            return ofNanos(1);
        }
        return m;
    }

    /** A short rendering for messages: never expands a huge exponent. */
    private static String brief(BigDecimal amount) {
        String text = amount.toString();
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    private static BigDecimal toBigDecimal(String decimal) {
        if (decimal == null) {
            throw new IllegalArgumentException("amount must not be null");
        }
        String s = decimal.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("amount must not be blank");
        }
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            String shown = decimal.length() <= 60 ? decimal : decimal.substring(0, 57) + "...";
            throw new IllegalArgumentException("amount is not a decimal number: '" + shown + "'", e);
        }
    }

    /** @return the amount in nano-units */
    public long nanos() {
        return nanos;
    }

    /** @return the exact amount in units as a {@link BigDecimal} with scale 9 */
    public BigDecimal toBigDecimal() {
        return BigDecimal.valueOf(nanos, SCALE);
    }

    /**
     * Returns the exact decimal text without exponent and without trailing zeros beyond the point,
     * e.g. {@code "12.5"}, {@code "0.000000001"}, {@code "-3"}.
     *
     * @return the plain decimal text
     */
    public String toPlainString() {
        if (nanos == 0) {
            return "0";
        }
        return toBigDecimal().stripTrailingZeros().toPlainString();
    }

    /**
     * @param other the amount to add
     * @return {@code this + other}
     * @throws ArithmeticException on 64-bit overflow
     */
    public Money plus(Money other) {
        return ofNanos(Math.addExact(nanos, other.nanos));
    }

    /**
     * @param other the amount to subtract
     * @return {@code this - other}
     * @throws ArithmeticException on 64-bit overflow
     */
    public Money minus(Money other) {
        return ofNanos(Math.subtractExact(nanos, other.nanos));
    }

    /**
     * @param factor an integer factor, e.g. a number of requests
     * @return {@code this * factor}
     * @throws ArithmeticException on 64-bit overflow
     */
    public Money times(long factor) {
        return ofNanos(Math.multiplyExact(nanos, factor));
    }

    /**
     * @return {@code -this}
     * @throws ArithmeticException for {@link Long#MIN_VALUE} nanos
     */
    public Money negate() {
        return ofNanos(Math.negateExact(nanos));
    }

    /** @return the signum: -1, 0 or 1 */
    public int signum() {
        return Long.signum(nanos);
    }

    /** @return true when the amount is zero */
    public boolean isZero() {
        return nanos == 0;
    }

    /** @return true when the amount is above zero */
    public boolean isPositive() {
        return nanos > 0;
    }

    /** @return true when the amount is below zero */
    public boolean isNegative() {
        return nanos < 0;
    }

    /**
     * @param other the amount to compare with
     * @return true when {@code this >= other}
     */
    public boolean isAtLeast(Money other) {
        return nanos >= other.nanos;
    }

    /**
     * @param a an amount
     * @param b another amount
     * @return the larger of the two
     */
    public static Money max(Money a, Money b) {
        return a.nanos >= b.nanos ? a : b;
    }

    /**
     * @param a an amount
     * @param b another amount
     * @return the smaller of the two
     */
    public static Money min(Money a, Money b) {
        return a.nanos <= b.nanos ? a : b;
    }

    @Override
    public int compareTo(Money o) {
        return Long.compare(nanos, o.nanos);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Money m && m.nanos == nanos;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(nanos);
    }

    /** @return the plain decimal text, as {@link #toPlainString()} */
    @Override
    public String toString() {
        return toPlainString();
    }
}
