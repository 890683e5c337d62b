package dev.quota.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Stores and scripts compare integer epoch milliseconds against {@link Window#expiredBeforeMillis}; that
 * threshold must agree with {@link Window#isExpired} for every kind, zone and edge.
 */
class ExpiredBeforeMillisTest {

    private static final List<Window> KINDS = List.of(
            Window.calendarDay(), Window.calendarWeek(), Window.calendarMonth(),
            Window.rolling(Duration.ofMillis(1)), Window.rolling(Duration.ofHours(5)),
            Window.rolling(Duration.ofDays(1)), Window.rolling(Duration.ofDays(30)),
            Window.fixed(Duration.ofMillis(1)), Window.fixed(Duration.ofMinutes(1)), Window.fixed(Duration.ofHours(1)));

    private static final List<ZoneId> ZONES = List.of(
            ZoneId.of("UTC"), ZoneId.of("America/New_York"), ZoneId.of("Asia/Shanghai"), ZoneId.of("Asia/Kolkata"));

    private static final List<Instant> NOWS = List.of(
            Instant.parse("2026-03-08T07:00:00Z"),          // just after the New York spring-forward gap
            Instant.parse("2026-11-01T05:30:00Z"),          // inside the repeated New York hour
            Instant.parse("2026-11-22T16:30:00Z"),          // Monday 00:30 in Shanghai, Sunday in UTC
            Instant.parse("2028-02-29T23:59:59.999Z"),      // last ms of a leap day
            Instant.parse("2028-03-01T00:00:00Z"),          // first instant of March
            Instant.parse("2026-12-31T23:59:59.999Z"),      // last ms of the year
            Instant.parse("2026-06-17T09:00:00.000500Z"));  // now with sub-millisecond precision

    static Stream<Arguments> cases() {
        return KINDS.stream().flatMap(w -> ZONES.stream().flatMap(z -> NOWS.stream()
                .map(now -> Arguments.of(w, z, now))));
    }

    @ParameterizedTest(name = "{0} in {1} at {2}")
    @MethodSource("cases")
    void a_start_is_expired_exactly_when_it_is_below_the_threshold(Window window, ZoneId zone, Instant now) {
        long threshold = window.expiredBeforeMillis(now, zone);
        long nowMs = now.toEpochMilli();

        for (long start = threshold - 3; start <= Math.min(threshold + 3, nowMs); start++) {
            assertThat(window.isExpired(Instant.ofEpochMilli(start), now, zone))
                    .as("start %d, threshold %d", start, threshold)
                    .isEqualTo(start < threshold);
        }
    }
}
