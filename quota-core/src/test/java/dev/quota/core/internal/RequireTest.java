package dev.quota.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RequireTest {

    @Test
    void aPositiveDurationPassesAndAnyOtherIsRefusedByName() {
        assertThat(Require.positive(Duration.ofMillis(1), "x")).isEqualTo(Duration.ofMillis(1));
        assertThatIllegalArgumentException().isThrownBy(() -> Require.positive(Duration.ZERO, "loadTimeout"))
                .withMessage("loadTimeout must be positive: PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> Require.positive(Duration.ofSeconds(-1), "x"));
        assertThatIllegalArgumentException().isThrownBy(() -> Require.positive(null, "x"));
    }

    @Test
    void aValueInsideTheBoundsPassesAndOneOutsideIsRefusedByName() {
        assertThat(Require.between(1, 1, 10, "workers")).isEqualTo(1);
        assertThat(Require.between(10, 1, 10, "workers")).isEqualTo(10);
        assertThatIllegalArgumentException().isThrownBy(() -> Require.between(0, 1, 10, "workers"))
                .withMessage("workers must be between 1 and 10: 0");
        assertThatIllegalArgumentException().isThrownBy(() -> Require.between(11, 1, 10, "workers"));
    }
}
