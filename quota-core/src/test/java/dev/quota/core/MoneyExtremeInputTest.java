package dev.quota.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.RoundingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Extreme exponents are judged by magnitude, never expanded digit by digit. */
class MoneyExtremeInputTest {

    @ParameterizedTest
    @ValueSource(strings = {"1e100000", "1e-100000", "-1e100000", "1e30000000", "1e-3000000"})
    void rejectsAnExtremeExponentWithAShortMessage(String text) {
        assertThatThrownBy(() -> Money.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }

    @Test
    void roundsATinyAmountWithoutExpandingIt() {
        assertThat(Money.parse("1e-3000000", RoundingMode.HALF_UP)).isEqualTo(Money.ZERO);
        assertThat(Money.parse("1e-3000000", RoundingMode.UP)).isEqualTo(Money.ofNanos(1));
        assertThat(Money.parse("-1e-3000000", RoundingMode.UP)).isEqualTo(Money.ofNanos(-1));
    }

    @Test
    void aTinyChargeStillCostsOneNano() {
        assertThat(Money.ofCharge(new java.math.BigDecimal("1e-3000000"), RoundingMode.HALF_EVEN))
                .isEqualTo(Money.ofNanos(1));
    }

    @Test
    void theLargestAmountStillParses() {
        assertThat(Money.parse(Money.MAX.toPlainString())).isEqualTo(Money.MAX);
        assertThat(Money.parse("9223372036.854775807")).isEqualTo(Money.MAX);
    }
}
