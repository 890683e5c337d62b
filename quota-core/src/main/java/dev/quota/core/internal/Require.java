package dev.quota.core.internal;

import java.time.Duration;

/** Argument checks the builders share; each throws {@link IllegalArgumentException} naming the setting. */
public final class Require {

    private Require() {
    }

    /**
     * @param d the duration
     * @param field the setting, for the message
     * @return {@code d}
     * @throws IllegalArgumentException when null, zero or negative
     */
    public static Duration positive(Duration d, String field) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(field + " must be positive: " + d);
        }
        return d;
    }

    /**
     * @param value the value
     * @param min the smallest allowed
     * @param max the largest allowed
     * @param field the setting, for the message
     * @return {@code value}
     * @throws IllegalArgumentException when outside {@code [min, max]}
     */
    public static int between(int value, int min, int max, String field) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ": " + value);
        }
        return value;
    }
}
