package dev.quota.core.window;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Window math works in whole milliseconds, so other lengths are refused rather than half-supported. */
class SubMillisecondLengthTest {

    private static final Duration ONE_AND_A_HALF_MS = Duration.ofNanos(1_500_000);

    @Test
    void aRollingWindowOfAFractionalMillisecondIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> Window.rolling(ONE_AND_A_HALF_MS))
                .withMessageContaining("milliseconds");
    }

    @Test
    void aFixedBucketOfAFractionalMillisecondIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> Window.fixed(ONE_AND_A_HALF_MS))
                .withMessageContaining("milliseconds");
        assertThatIllegalArgumentException().isThrownBy(() -> new SlidingWindow(ONE_AND_A_HALF_MS))
                .withMessageContaining("milliseconds");
    }
}
