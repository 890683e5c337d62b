package dev.quota.core.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class WindowUsageTest {

    private static final ZoneId ZONE = ZoneOffset.UTC;
    private static final Window FIVE_HOURS = Window.rolling(Duration.ofHours(5));
    private static final Instant START = Instant.parse("2026-05-04T08:00:00Z");

    @Test
    void adding_to_a_live_window_accumulates_and_keeps_the_start() {
        WindowUsage usage = new WindowUsage(100, START);

        WindowUsage after = usage.add(FIVE_HOURS, 50, START.plus(Duration.ofHours(4)), ZONE);

        assertThat(after).isEqualTo(new WindowUsage(150, START));
    }

    @Test
    void adding_to_an_expired_rolling_window_resets_it_to_the_amount_starting_now() {
        WindowUsage usage = new WindowUsage(100, START);
        Instant now = START.plus(Duration.ofHours(5));

        WindowUsage after = usage.add(FIVE_HOURS, 50, now, ZONE);

        assertThat(after).isEqualTo(new WindowUsage(50, now));
    }

    @Test
    void adding_to_an_empty_window_starts_it() {
        Instant now = START.plusSeconds(7);

        assertThat(WindowUsage.EMPTY.add(FIVE_HOURS, 30, now, ZONE)).isEqualTo(new WindowUsage(30, now));
    }

    @Test
    void adding_to_an_expired_calendar_day_starts_it_at_local_midnight() {
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");
        WindowUsage yesterday = new WindowUsage(100, Instant.parse("2026-11-21T10:00:00Z"));
        Instant now = Instant.parse("2026-11-22T16:30:00Z");

        WindowUsage after = yesterday.add(Window.calendarDay(), 5, now, shanghai);

        assertThat(after).isEqualTo(new WindowUsage(5, Instant.parse("2026-11-22T16:00:00Z")));
    }

    @Test
    void adding_to_an_expired_fixed_bucket_starts_it_at_the_bucket_start() {
        WindowUsage previousMinute = new WindowUsage(9, Instant.parse("2026-05-04T12:33:00Z"));

        WindowUsage after = previousMinute.add(Window.fixed(Duration.ofMinutes(1)), 1,
                Instant.parse("2026-05-04T12:34:56Z"), ZONE);

        assertThat(after).isEqualTo(new WindowUsage(1, Instant.parse("2026-05-04T12:34:00Z")));
    }

    @Test
    void effective_usage_is_the_recorded_usage_while_live() {
        assertThat(new WindowUsage(100, START).effective(FIVE_HOURS, START.plus(Duration.ofHours(1)), ZONE))
                .isEqualTo(100);
    }

    @Test
    void effective_usage_is_zero_once_expired() {
        assertThat(new WindowUsage(100, START).effective(FIVE_HOURS, START.plus(Duration.ofHours(5)), ZONE)).isZero();
    }

    @Test
    void effective_usage_is_zero_without_a_start() {
        assertThat(new WindowUsage(100, null).effective(FIVE_HOURS, START, ZONE)).isZero();
    }

    @Test
    void rejects_negative_usage_and_negative_amounts() {
        assertThatThrownBy(() -> new WindowUsage(-1, START)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WindowUsage.EMPTY.add(FIVE_HOURS, -1, START, ZONE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void adding_throws_on_overflow() {
        WindowUsage full = new WindowUsage(Long.MAX_VALUE, START);

        assertThatThrownBy(() -> full.add(FIVE_HOURS, 1, START, ZONE)).isInstanceOf(ArithmeticException.class);
    }
}
