package dev.quota.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

    private static final long TWO_POW_53 = 1L << 53;

    @Nested
    class Exactness {

        @Test
        void stays_exact_above_two_to_the_53_nanos_where_a_double_is_not() {
            Money m = Money.ofNanos(TWO_POW_53 + 1);

            assertThat((long) (double) (TWO_POW_53 + 1)).isNotEqualTo(TWO_POW_53 + 1);
            assertThat(m.nanos()).isEqualTo(TWO_POW_53 + 1);
            assertThat(m.minus(Money.ofNanos(1)).nanos()).isEqualTo(TWO_POW_53);
        }

        @Test
        void parses_and_formats_a_value_above_two_to_the_53_nanos_without_loss() {
            String text = "9007199.254740993"; // 2^53 + 1 nanos

            Money m = Money.parse(text);

            assertThat(m.nanos()).isEqualTo(TWO_POW_53 + 1);
            assertThat(m.toPlainString()).isEqualTo(text);
            assertThat(Money.parse(m.toPlainString())).isEqualTo(m);
        }

        @Test
        void round_trips_the_largest_and_smallest_amounts_through_text() {
            assertThat(Money.MAX.toPlainString()).isEqualTo("9223372036.854775807");
            assertThat(Money.parse("9223372036.854775807")).isEqualTo(Money.MAX);
            Money min = Money.ofNanos(Long.MIN_VALUE);
            assertThat(min.toPlainString()).isEqualTo("-9223372036.854775808");
            assertThat(Money.parse(min.toPlainString())).isEqualTo(min);
        }

        @Test
        void one_thousand_times_a_tenth_is_exactly_one_hundred() {
            Money tenth = Money.parse("0.1");

            assertThat(tenth.times(1_000)).isEqualTo(Money.ofUnits(100));
        }

        @Test
        void adding_a_tenth_one_thousand_times_is_exactly_one_hundred() {
            Money tenth = Money.parse("0.1");
            Money sum = Money.ZERO;
            for (int i = 0; i < 1_000; i++) {
                sum = sum.plus(tenth);
            }

            assertThat(sum).isEqualTo(Money.ofUnits(100));
            assertThat(sum.toPlainString()).isEqualTo("100");
        }
    }

    @Nested
    class Parsing {

        @ParameterizedTest
        @CsvSource({
            "12.5, 12500000000",
            "0.000000001, 1",
            "-0.000000001, -1",
            "1e-3, 1000000",
            "-3, -3000000000",
            "0, 0",
            "'  7.25  ', 7250000000"
        })
        void parses_plain_and_exponent_decimals_exactly(String text, long nanos) {
            assertThat(Money.parse(text).nanos()).isEqualTo(nanos);
        }

        @Test
        void accepts_zeros_beyond_the_ninth_decimal_because_the_value_stays_exact() {
            assertThat(Money.parse("1.000000000000")).isEqualTo(Money.ofUnits(1));
        }

        @ParameterizedTest
        @ValueSource(strings = {"NaN", "Infinity", "-Infinity", "abc", "1.2.3", "0x10", "1,5", "$1", "1 000"})
        void rejects_text_that_is_not_a_finite_decimal(String text) {
            assertThatThrownBy(() -> Money.parse(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a decimal number");
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"   ", "\t"})
        void rejects_null_and_blank_text(String text) {
            assertThatThrownBy(() -> Money.parse(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageMatching("amount must not be (null|blank)");
        }

        @Test
        void rejects_more_than_nine_decimals_with_a_clear_message() {
            assertThatThrownBy(() -> Money.parse("0.0000000001"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("more than 9 decimals")
                    .hasMessageContaining("RoundingMode");
        }

        @Test
        void rejects_more_than_nine_decimals_in_a_big_decimal_too() {
            assertThatThrownBy(() -> Money.of(new BigDecimal("1.2345678901")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("more than 9 decimals");
        }

        @ParameterizedTest
        @CsvSource({
            "0.0000000015, HALF_UP, 2",
            "0.0000000015, HALF_EVEN, 2",
            "0.0000000025, HALF_EVEN, 2",
            "0.0000000015, DOWN, 1",
            "-0.0000000015, FLOOR, -2",
            "-0.0000000015, CEILING, -1"
        })
        void rounds_extra_decimals_when_a_rounding_mode_is_given(String text, RoundingMode mode, long nanos) {
            assertThat(Money.parse(text, mode).nanos()).isEqualTo(nanos);
            assertThat(Money.of(new BigDecimal(text), mode).nanos()).isEqualTo(nanos);
        }

        @Test
        void rejects_a_null_rounding_mode_when_parsing_with_rounding() {
            assertThatThrownBy(() -> Money.parse("1", null)).isInstanceOf(NullPointerException.class);
        }

        @Test
        void rejects_an_amount_that_does_not_fit_in_64_bit_nanos() {
            assertThatThrownBy(() -> Money.parse("9223372036.854775808"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not fit");
            assertThatThrownBy(() -> Money.parse("-9223372036.854775809"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not fit");
        }

        @Test
        void rejects_a_null_big_decimal() {
            assertThatThrownBy(() -> Money.of((BigDecimal) null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("amount must not be null");
        }
    }

    @Nested
    class Charges {

        @ParameterizedTest
        @ValueSource(strings = {"DOWN", "FLOOR", "HALF_EVEN", "HALF_UP"})
        void never_rounds_a_positive_charge_down_to_zero(RoundingMode mode) {
            assertThat(Money.ofCharge(new BigDecimal("0.0000000001"), mode)).isEqualTo(Money.ofNanos(1));
        }

        @Test
        void rounds_a_charge_above_one_nano_with_the_given_mode() {
            assertThat(Money.ofCharge(new BigDecimal("0.0000000019"), RoundingMode.DOWN)).isEqualTo(Money.ofNanos(1));
            assertThat(Money.ofCharge(new BigDecimal("0.0000000015"), RoundingMode.HALF_UP)).isEqualTo(Money.ofNanos(2));
        }

        @Test
        void keeps_an_exact_charge_unchanged() {
            assertThat(Money.ofCharge(new BigDecimal("0.003"), RoundingMode.DOWN)).isEqualTo(Money.parse("0.003"));
        }

        @Test
        void a_zero_charge_stays_zero() {
            assertThat(Money.ofCharge(BigDecimal.ZERO, RoundingMode.UP)).isEqualTo(Money.ZERO);
        }

        @ParameterizedTest
        @ValueSource(strings = {"-0.0000000001", "-1"})
        void rejects_a_negative_charge(String amount) {
            assertThatThrownBy(() -> Money.ofCharge(new BigDecimal(amount), RoundingMode.HALF_EVEN))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must not be negative");
        }

        @Test
        void rejects_a_null_charge() {
            assertThatThrownBy(() -> Money.ofCharge(null, RoundingMode.HALF_EVEN))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("charge must not be null");
        }
    }

    @Nested
    class Overflow {

        @Test
        void plus_throws_instead_of_wrapping() {
            assertThatThrownBy(() -> Money.MAX.plus(Money.ofNanos(1))).isInstanceOf(ArithmeticException.class);
        }

        @Test
        void minus_throws_instead_of_wrapping() {
            assertThatThrownBy(() -> Money.ofNanos(Long.MIN_VALUE).minus(Money.ofNanos(1)))
                    .isInstanceOf(ArithmeticException.class);
        }

        @Test
        void times_throws_instead_of_wrapping() {
            assertThatThrownBy(() -> Money.MAX.times(2)).isInstanceOf(ArithmeticException.class);
            assertThatThrownBy(() -> Money.ofUnits(5_000_000_000L).times(2)).isInstanceOf(ArithmeticException.class);
        }

        @Test
        void of_units_throws_when_the_nanos_do_not_fit() {
            assertThat(Money.ofUnits(9_223_372_036L).nanos()).isEqualTo(9_223_372_036_000_000_000L);
            assertThatThrownBy(() -> Money.ofUnits(9_223_372_037L)).isInstanceOf(ArithmeticException.class);
            assertThatThrownBy(() -> Money.ofUnits(-9_223_372_037L)).isInstanceOf(ArithmeticException.class);
        }

        @Test
        void negate_throws_for_the_most_negative_amount() {
            assertThatThrownBy(() -> Money.ofNanos(Long.MIN_VALUE).negate()).isInstanceOf(ArithmeticException.class);
        }
    }

    @Nested
    class Conversions {

        @Test
        void to_big_decimal_is_exact_with_scale_nine() {
            BigDecimal d = Money.parse("12.5").toBigDecimal();

            assertThat(d.scale()).isEqualTo(9);
            assertThat(d).isEqualTo(new BigDecimal("12.500000000"));
        }

        @Test
        void round_trips_through_big_decimal() {
            Money m = Money.ofNanos(TWO_POW_53 + 1);

            assertThat(Money.of(m.toBigDecimal())).isEqualTo(m);
        }

        @Test
        void accepts_a_big_decimal_with_a_negative_scale() {
            assertThat(Money.of(new BigDecimal("1E+2"))).isEqualTo(Money.ofUnits(100));
        }

        @Test
        void of_units_counts_whole_units() {
            assertThat(Money.ofUnits(3).nanos()).isEqualTo(3 * Money.NANOS_PER_UNIT);
        }
    }

    @Nested
    class Formatting {

        @ParameterizedTest
        @CsvSource({
            "12500000000, 12.5",
            "1, 0.000000001",
            "-3000000000, -3",
            "0, 0",
            "100000000000, 100",
            "1000000, 0.001"
        })
        void to_plain_string_has_no_exponent_and_no_trailing_zeros(long nanos, String text) {
            assertThat(Money.ofNanos(nanos).toPlainString()).isEqualTo(text);
            assertThat(Money.ofNanos(nanos)).hasToString(text);
        }
    }

    @Nested
    class Comparison {

        @Test
        void equal_amounts_are_equal_and_hash_alike() {
            assertThat(Money.parse("1.50")).isEqualTo(Money.parse("1.5")).hasSameHashCodeAs(Money.parse("1.5"));
        }

        @Test
        void orders_by_amount() {
            Money small = Money.parse("0.1");
            Money large = Money.parse("0.2");

            assertThat(small).isLessThan(large);
            assertThat(Money.max(small, large)).isEqualTo(large);
            assertThat(Money.min(small, large)).isEqualTo(small);
            assertThat(large.isAtLeast(small)).isTrue();
            assertThat(large.isAtLeast(large)).isTrue();
            assertThat(small.isAtLeast(large)).isFalse();
        }

        @Test
        void reports_its_sign() {
            assertThat(Money.ofNanos(-1).isNegative()).isTrue();
            assertThat(Money.ofNanos(-1).signum()).isEqualTo(-1);
            assertThat(Money.ZERO.isZero()).isTrue();
            assertThat(Money.ZERO.signum()).isZero();
            assertThat(Money.ofNanos(1).isPositive()).isTrue();
        }
    }
}
