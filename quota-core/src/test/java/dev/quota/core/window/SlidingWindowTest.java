package dev.quota.core.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SlidingWindowTest {

    private static final SlidingWindow PER_MINUTE = new SlidingWindow(Duration.ofMinutes(1));
    private static final Instant BUCKET = Instant.parse("2026-05-04T12:34:00Z");

    @Test
    void weights_the_previous_bucket_by_the_part_still_inside_the_window() {
        assertThat(PER_MINUTE.estimate(60, 10, BUCKET.plusSeconds(15))).isEqualTo(45 + 10);
    }

    @Test
    void counts_the_whole_previous_bucket_at_the_bucket_boundary() {
        assertThat(PER_MINUTE.estimate(60, 10, BUCKET)).isEqualTo(70);
    }

    @Test
    void almost_ignores_the_previous_bucket_at_the_end_of_the_current_one() {
        assertThat(PER_MINUTE.estimate(60, 10, BUCKET.plusMillis(59_999))).isEqualTo(10);
    }

    @Test
    void rounds_the_weighted_previous_count_down() {
        // 10 * 40 / 60 = 6.67
        assertThat(PER_MINUTE.estimate(10, 0, BUCKET.plusSeconds(20))).isEqualTo(6);
    }

    @Test
    void does_not_overflow_on_large_counts() {
        assertThat(PER_MINUTE.estimate(Long.MAX_VALUE, 0, BUCKET.plusSeconds(30))).isEqualTo(Long.MAX_VALUE / 2);
    }

    @Test
    void rejects_negative_counts() {
        assertThatThrownBy(() -> PER_MINUTE.estimate(-1, 0, BUCKET)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PER_MINUTE.estimate(0, -1, BUCKET)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejects_an_invalid_bucket_length() {
        assertThatThrownBy(() -> new SlidingWindow(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void is_built_on_the_fixed_bucket_of_the_same_length() {
        assertThat(PER_MINUTE.buckets()).isEqualTo(new Window.Fixed(Duration.ofMinutes(1)));
    }
}
