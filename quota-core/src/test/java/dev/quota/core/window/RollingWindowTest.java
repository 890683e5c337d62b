package dev.quota.core.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RollingWindowTest {

    private static final ZoneId ZONE = ZoneOffset.UTC;
    private static final Duration FIVE_HOURS = Duration.ofHours(5);
    private static final Window WINDOW = Window.rolling(FIVE_HOURS);
    private static final Instant START = Instant.parse("2026-05-04T08:00:00Z");

    @Test
    void is_expired_at_exactly_start_plus_length() {
        assertThat(WINDOW.isExpired(START, START.plus(FIVE_HOURS), ZONE)).isTrue();
    }

    @Test
    void is_live_one_millisecond_before_start_plus_length() {
        assertThat(WINDOW.isExpired(START, START.plus(FIVE_HOURS).minusMillis(1), ZONE)).isFalse();
    }

    @Test
    void is_live_at_its_own_start() {
        assertThat(WINDOW.isExpired(START, START, ZONE)).isFalse();
    }

    @Test
    void is_expired_without_a_start() {
        assertThat(WINDOW.isExpired(null, START, ZONE)).isTrue();
    }

    @Test
    void resets_at_start_plus_length_while_live() {
        Instant now = START.plus(Duration.ofHours(2));

        assertThat(WINDOW.nextReset(START, now, ZONE)).isEqualTo(START.plus(FIVE_HOURS));
        assertThat(WINDOW.remaining(START, now, ZONE)).isEqualTo(Duration.ofHours(3));
    }

    @Test
    void resets_at_now_plus_length_without_a_start() {
        Instant now = Instant.parse("2026-05-04T09:30:00Z");

        assertThat(WINDOW.nextReset(null, now, ZONE)).isEqualTo(now.plus(FIVE_HOURS));
        assertThat(WINDOW.remaining(null, now, ZONE)).isEqualTo(FIVE_HOURS);
    }

    @Test
    void resets_at_now_plus_length_once_expired() {
        Instant now = START.plus(FIVE_HOURS);

        assertThat(WINDOW.nextReset(START, now, ZONE)).isEqualTo(now.plus(FIVE_HOURS));
    }

    @Test
    void starts_now_when_used_after_expiry_and_keeps_its_start_while_live() {
        Instant live = START.plus(Duration.ofHours(1));
        Instant expired = START.plus(FIVE_HOURS);

        assertThat(WINDOW.startAt(START, live, ZONE)).isEqualTo(START);
        assertThat(WINDOW.startAt(START, expired, ZONE)).isEqualTo(expired);
        assertThat(WINDOW.startAt(null, live, ZONE)).isEqualTo(live);
    }

    @Test
    void a_thirty_day_window_is_not_affected_by_dst_in_the_zone() {
        Window thirtyDays = Window.rolling(Duration.ofDays(30));
        ZoneId newYork = ZoneId.of("America/New_York");
        Instant start = Instant.parse("2026-03-01T12:00:00Z");

        assertThat(thirtyDays.nextReset(start, start, newYork)).isEqualTo(Instant.parse("2026-03-31T12:00:00Z"));
        assertThat(thirtyDays.isExpired(start, Instant.parse("2026-03-31T11:59:59.999Z"), newYork)).isFalse();
        assertThat(thirtyDays.isExpired(start, Instant.parse("2026-03-31T12:00:00Z"), newYork)).isTrue();
    }

    @Test
    void effective_usage_is_zero_once_expired() {
        assertThat(WINDOW.effectiveUsage(700, START, START.plus(FIVE_HOURS), ZONE)).isZero();
        assertThat(WINDOW.effectiveUsage(700, START, START.plus(FIVE_HOURS).minusMillis(1), ZONE)).isEqualTo(700);
    }

    @Test
    void rejects_zero_negative_and_null_lengths() {
        assertThatThrownBy(() -> Window.rolling(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Window.rolling(Duration.ofHours(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Window.rolling(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void has_a_label_naming_its_length() {
        assertThat(WINDOW.label()).isEqualTo("rolling:PT5H");
    }
}
