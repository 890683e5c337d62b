package dev.quota.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.limit.Measure;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DecisionTest {

    private static final Instant NOW = Instant.parse("2026-11-18T10:15:30Z");

    private static Decision deniedFor(Duration wait) {
        return Decision.deny(DenyReason.USER_RPM_EXCEEDED, NOW, NOW.plus(wait), Measure.REQUESTS, 2, 1);
    }

    @Test
    void an_allowed_decision_answers_200_and_has_no_reason() {
        Decision d = Decision.allow();

        assertThat(d.allowed()).isTrue();
        assertThat(d.denied()).isFalse();
        assertThat(d.httpStatus()).isEqualTo(200);
        assertThat(d.denyReason()).isEmpty();
        assertThat(d.retryAfterSeconds()).isEmpty();
    }

    @Test
    void a_denial_answers_with_its_reasons_status() {
        Decision d = Decision.deny(DenyReason.INSUFFICIENT_BALANCE);

        assertThat(d.denied()).isTrue();
        assertThat(d.httpStatus()).isEqualTo(403);
        assertThat(d.denyReason()).contains(DenyReason.INSUFFICIENT_BALANCE);
    }

    @Test
    void a_window_denial_waits_until_the_window_resets() {
        Decision d = deniedFor(Duration.ofSeconds(30));

        assertThat(d.resetsAt()).isEqualTo(NOW.plusSeconds(30));
        assertThat(d.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.measure()).isEqualTo(Measure.REQUESTS);
        assertThat(d.used()).isEqualTo(2);
        assertThat(d.limit()).isEqualTo(1);
    }

    @Test
    void retry_after_seconds_is_exact_for_whole_seconds() {
        assertThat(deniedFor(Duration.ofSeconds(30)).retryAfterSeconds()).contains(30L);
    }

    @Test
    void retry_after_seconds_rounds_a_fraction_up() {
        assertThat(deniedFor(Duration.ofMillis(1_001)).retryAfterSeconds()).contains(2L);
        assertThat(deniedFor(Duration.ofNanos(1)).retryAfterSeconds()).contains(1L);
    }

    @Test
    void retry_after_seconds_is_zero_when_the_reset_is_now() {
        assertThat(deniedFor(Duration.ZERO).retryAfterSeconds()).contains(0L);
    }

    @Test
    void a_reset_in_the_past_means_no_wait_rather_than_a_negative_one() {
        Decision d = Decision.deny(DenyReason.DAILY_LIMIT_EXCEEDED, NOW, NOW.minusSeconds(5), Measure.COST, 1, 1);

        assertThat(d.retryAfter()).isEqualTo(Duration.ZERO);
    }

    @Test
    void a_denial_without_window_information_has_nothing_to_wait_for() {
        Decision d = Decision.deny(DenyReason.SUBSCRIPTION_INVALID);

        assertThat(d.resetsAt()).isNull();
        assertThat(d.retryAfter()).isNull();
        assertThat(d.retryAfterSeconds()).isEmpty();
        assertThat(d.used()).isEqualTo(-1);
        assertThat(d.limit()).isEqualTo(-1);
    }

    @Test
    void rejects_an_allowed_decision_with_a_reason_and_a_denial_without_one() {
        assertThatThrownBy(() -> new Decision(true, DenyReason.USER_RPM_EXCEEDED, null, null, null, -1, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Decision(false, null, null, null, null, -1, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejects_a_negative_retry_after() {
        assertThatThrownBy(() -> new Decision(false, DenyReason.USER_RPM_EXCEEDED, NOW, Duration.ofSeconds(-1),
                Measure.REQUESTS, 2, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejects_a_null_reason() {
        assertThatThrownBy(() -> Decision.deny(null)).isInstanceOf(NullPointerException.class);
    }
}
