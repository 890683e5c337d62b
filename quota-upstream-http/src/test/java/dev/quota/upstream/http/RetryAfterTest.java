package dev.quota.upstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2025-03-10T08:00:00Z");

    @Test
    void delaySecondsAreTakenAsTheyAre() {
        assertThat(RetryAfter.parse("0", NOW)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse(" 45 ", NOW)).contains(Duration.ofSeconds(45));
    }

    @Test
    void anHttpDateIsTheDelayFromNowAndZeroWhenPast() {
        assertThat(RetryAfter.parse("Mon, 10 Mar 2025 08:02:00 GMT", NOW)).contains(Duration.ofMinutes(2));
        assertThat(RetryAfter.parse("Mon, 10 Mar 2025 07:00:00 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void hugeDelaysAreCappedAtADay() {
        assertThat(RetryAfter.parse("99999999999999999999", NOW)).contains(RetryAfter.MAX);
        assertThat(RetryAfter.parse("172800", NOW)).contains(RetryAfter.MAX);
    }

    @Test
    void absentOrUnparsableIsNoDelay() {
        assertThat(RetryAfter.parse(null, NOW)).isEmpty();
        assertThat(RetryAfter.parse("", NOW)).isEmpty();
        assertThat(RetryAfter.parse("-5", NOW)).isEmpty();
        assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
    }
}
