package dev.quota.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LimitTest {

    @Nested
    class Unset {

        private final Limit unset = Limit.unlimited();

        @ParameterizedTest
        @ValueSource(longs = {0, 1, Long.MAX_VALUE})
        void allows_any_spend(long used) {
            assertThat(unset.deniesSpend(used)).isFalse();
        }

        @ParameterizedTest
        @ValueSource(longs = {1, 1_000_000, Long.MAX_VALUE})
        void allows_any_count(long count) {
            assertThat(unset.deniesCount(count)).isFalse();
        }

        @Test
        void allows_any_hold() {
            assertThat(unset.deniesHold(Long.MAX_VALUE, Long.MAX_VALUE)).isFalse();
        }

        @Test
        void is_stored_as_null() {
            assertThat(unset.isUnlimited()).isTrue();
            assertThat(unset.capOrNull()).isNull();
            assertThat(Limit.ofNullable(null)).isEqualTo(unset);
        }
    }

    @Nested
    class Disabled {

        private final Limit zero = Limit.of(0);

        @Test
        void is_the_zero_limit() {
            assertThat(zero).isEqualTo(Limit.disabled());
            assertThat(zero.isDisabled()).isTrue();
            assertThat(zero.capOrNull()).isZero();
            assertThat(Limit.of(Money.ZERO)).isEqualTo(Limit.disabled());
        }

        @Test
        void denies_spend_even_without_usage() {
            assertThat(zero.deniesSpend(0)).isTrue();
        }

        @Test
        void denies_the_first_request_of_a_count() {
            assertThat(zero.deniesCount(1)).isTrue();
        }

        @Test
        void denies_a_hold_even_of_nothing() {
            assertThat(zero.deniesHold(0, 0)).isTrue();
        }
    }

    @Nested
    class Cap {

        private final Limit ten = Limit.of(10);

        /** Spend is allowed below the cap and denied from the cap on. */
        @ParameterizedTest(name = "spent {0} of 10: denied = {1}")
        @CsvSource({"9, false", "10, true", "11, true"})
        void denies_spend_at_and_above_the_cap(long used, boolean denied) {
            assertThat(ten.deniesSpend(used)).isEqualTo(denied);
        }

        /** A count may reach the cap; one above it is denied. */
        @ParameterizedTest(name = "count {0} of 10: denied = {1}")
        @CsvSource({"10, false", "11, true"})
        void denies_a_count_above_the_cap(long count, boolean denied) {
            assertThat(ten.deniesCount(count)).isEqualTo(denied);
        }

        /** A hold is admitted up to exactly the cap and refused beyond it. */
        @ParameterizedTest(name = "held {0} + {1} of 10: denied = {2}")
        @CsvSource({"6, 4, false", "6, 5, true"})
        void refuses_a_hold_beyond_the_cap(long held, long amount, boolean denied) {
            assertThat(ten.deniesHold(held, amount)).isEqualTo(denied);
        }

        @Test
        void refuses_a_hold_whose_sum_overflows() {
            assertThat(Limit.of(Long.MAX_VALUE).deniesHold(Long.MAX_VALUE, 1)).isTrue();
        }

        @Test
        void a_money_cap_is_in_nano_units() {
            assertThat(Limit.of(Money.parse("2.5")).cap()).isEqualTo(2_500_000_000L);
        }
    }

    @Nested
    class Utilization {

        @Test
        void is_used_over_cap_in_percent() {
            assertThat(Limit.of(200).utilizationPercent(50)).isEqualTo(25.0);
        }

        @Test
        void is_not_capped_at_one_hundred() {
            assertThat(Limit.of(100).utilizationPercent(150)).isEqualTo(150.0);
        }

        @Test
        void is_zero_when_unset() {
            assertThat(Limit.unlimited().utilizationPercent(1_000)).isZero();
        }

        @Test
        void is_one_hundred_when_disabled() {
            assertThat(Limit.disabled().utilizationPercent(0)).isEqualTo(100.0);
        }
    }

    @Nested
    class Validation {

        @Test
        void rejects_a_negative_cap() {
            assertThatThrownBy(() -> Limit.of(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Limit.of(Money.ofNanos(-1))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Limit.ofNullable(-5L)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void rejects_a_cap_below_the_unset_marker_in_the_canonical_constructor() {
            assertThatThrownBy(() -> new Limit(-2)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void rejects_a_null_money_cap() {
            assertThatThrownBy(() -> Limit.of((Money) null)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void reads_well_in_logs() {
            assertThat(Limit.unlimited()).hasToString("unlimited");
            assertThat(Limit.disabled()).hasToString("disabled");
            assertThat(Limit.of(42)).hasToString("42");
        }
    }

    @Nested
    class FromAColumnOfAnotherSchema {

        @Test
        void whereZeroMeansNoLimitZeroNullAndNegativeAreUnlimited() {
            assertThat(Limit.fromColumn(0L, Limit.ZeroMeans.UNLIMITED)).isEqualTo(Limit.unlimited());
            assertThat(Limit.fromColumn((Long) null, Limit.ZeroMeans.UNLIMITED)).isEqualTo(Limit.unlimited());
            assertThat(Limit.fromColumn(-5L, Limit.ZeroMeans.UNLIMITED)).isEqualTo(Limit.unlimited());
            assertThat(Limit.fromColumn(60L, Limit.ZeroMeans.UNLIMITED)).isEqualTo(Limit.of(60));
            assertThat(Limit.fromColumn(60L, Limit.ZeroMeans.UNLIMITED).deniesCount(61)).isTrue();
        }

        @Test
        void whereZeroMeansDisabledZeroDeniesEverythingAndNullIsUnlimited() {
            assertThat(Limit.fromColumn(0L, Limit.ZeroMeans.DISABLED)).isEqualTo(Limit.disabled());
            assertThat(Limit.fromColumn((Long) null, Limit.ZeroMeans.DISABLED)).isEqualTo(Limit.unlimited());
            assertThat(Limit.fromColumn(7L, Limit.ZeroMeans.DISABLED)).isEqualTo(Limit.of(7));
            assertThatThrownBy(() -> Limit.fromColumn(-1L, Limit.ZeroMeans.DISABLED))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void moneyColumnsAreReadInCurrencyUnitsExactly() {
            assertThat(Limit.fromColumn(new java.math.BigDecimal("12.500000001"), Limit.ZeroMeans.UNLIMITED))
                    .isEqualTo(Limit.of(Money.parse("12.500000001")));
            assertThat(Limit.fromColumn(new java.math.BigDecimal("0.00"), Limit.ZeroMeans.UNLIMITED))
                    .isEqualTo(Limit.unlimited());
            assertThat(Limit.fromColumn(new java.math.BigDecimal("0.00"), Limit.ZeroMeans.DISABLED))
                    .isEqualTo(Limit.disabled());
            assertThat(Limit.fromColumn((java.math.BigDecimal) null, Limit.ZeroMeans.DISABLED))
                    .isEqualTo(Limit.unlimited());
            assertThatThrownBy(() -> Limit.fromColumn(new java.math.BigDecimal("-0.01"), Limit.ZeroMeans.DISABLED))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Limit.fromColumn(new java.math.BigDecimal("0.0000000001"),
                    Limit.ZeroMeans.DISABLED)).as("a tenth decimal is not money").isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void whatZeroMeansMustBeSaid() {
            assertThatThrownBy(() -> Limit.fromColumn(5L, null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Limit.fromColumn(java.math.BigDecimal.ONE, null))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
