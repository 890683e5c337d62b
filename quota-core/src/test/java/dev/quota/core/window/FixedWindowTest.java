package dev.quota.core.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FixedWindowTest {

    private static final ZoneId ZONE = ZoneOffset.UTC;
    private static final Window.Fixed MINUTE = new Window.Fixed(Duration.ofMinutes(1));

    /** The bucket starts at the epoch-aligned minute, before the epoch too (aligned downwards). */
    @ParameterizedTest(name = "{0} is in the bucket of {1}")
    @CsvSource({
        "2026-05-04T12:34:56.789Z, 2026-05-04T12:34:00Z",
        "1969-12-31T23:59:30Z, 1969-12-31T23:59:00Z",
    })
    void the_bucket_starts_at_the_epoch_aligned_minute(Instant now, Instant start) {
        assertThat(MINUTE.bucketStart(now)).isEqualTo(start);
    }

    @Test
    void resets_at_the_end_of_the_bucket() {
        Instant now = Instant.parse("2026-05-04T12:34:56.789Z");

        assertThat(MINUTE.nextReset(null, now, ZONE)).isEqualTo(Instant.parse("2026-05-04T12:35:00Z"));
        assertThat(MINUTE.remaining(null, now, ZONE)).isEqualTo(Duration.ofMillis(3_211));
    }

    @Test
    void an_instant_on_the_boundary_opens_a_new_bucket() {
        Instant boundary = Instant.parse("2026-05-04T12:35:00Z");

        assertThat(MINUTE.bucketStart(boundary)).isEqualTo(boundary);
        assertThat(MINUTE.nextReset(null, boundary, ZONE)).isEqualTo(Instant.parse("2026-05-04T12:36:00Z"));
    }

    @Test
    void buckets_ignore_the_business_zone_offset() {
        ZoneId kolkata = ZoneId.of("Asia/Kolkata"); // +05:30
        Window.Fixed hour = new Window.Fixed(Duration.ofHours(1));
        Instant now = Instant.parse("2026-05-04T12:40:00Z");

        assertThat(hour.nextReset(null, now, kolkata)).isEqualTo(Instant.parse("2026-05-04T13:00:00Z"));
    }

    @Test
    void a_start_in_the_previous_bucket_is_expired_and_in_the_current_one_is_live() {
        Instant now = Instant.parse("2026-05-04T12:34:56Z");

        assertThat(MINUTE.isExpired(Instant.parse("2026-05-04T12:33:59.999Z"), now, ZONE)).isTrue();
        assertThat(MINUTE.isExpired(Instant.parse("2026-05-04T12:34:00Z"), now, ZONE)).isFalse();
        assertThat(MINUTE.isExpired(null, now, ZONE)).isTrue();
    }

    @Test
    void a_new_bucket_starts_at_the_bucket_start() {
        Instant now = Instant.parse("2026-05-04T12:34:56Z");

        assertThat(MINUTE.startAt(null, now, ZONE)).isEqualTo(Instant.parse("2026-05-04T12:34:00Z"));
    }

    @Test
    void rejects_lengths_below_one_millisecond() {
        assertThatThrownBy(() -> Window.fixed(Duration.ofNanos(999_999))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Window.fixed(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void has_a_label_naming_its_length() {
        assertThat(MINUTE.label()).isEqualTo("fixed:PT1M");
    }
}
