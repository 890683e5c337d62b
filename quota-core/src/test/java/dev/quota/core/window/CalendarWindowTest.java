package dev.quota.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CalendarWindowTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final ZoneId UTC = ZoneOffset.UTC;

    private static Instant local(String localDateTime, ZoneId zone) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(localDateTime), zone).toInstant();
    }

    private static Window.Calendar day() {
        return (Window.Calendar) Window.calendarDay();
    }

    private static Window.Calendar week() {
        return (Window.Calendar) Window.calendarWeek();
    }

    private static Window.Calendar month() {
        return (Window.Calendar) Window.calendarMonth();
    }

    @Nested
    class DaylightSavingTime {

        /** The spring-forward day in New York lasts 23 hours, the fall-back day 25. */
        @ParameterizedTest(name = "{0} in New York lasts {3} hours")
        @CsvSource({
            "2026-03-08T12:00, 2026-03-08T05:00:00Z, 2026-03-09T04:00:00Z, 23",
            "2026-11-01T12:00, 2026-11-01T04:00:00Z, 2026-11-02T05:00:00Z, 25",
        })
        void a_dst_change_day_in_new_york_lasts_23_or_25_hours(String localNow, Instant expectedStart,
                Instant expectedReset, long hours) {
            Instant now = local(localNow, NEW_YORK);

            Instant start = day().periodStart(now, NEW_YORK);
            Instant reset = day().nextReset(null, now, NEW_YORK);

            assertThat(start).isEqualTo(expectedStart);
            assertThat(reset).isEqualTo(expectedReset);
            assertThat(Duration.between(start, reset)).isEqualTo(Duration.ofHours(hours));
        }

        @Test
        void remaining_on_the_spring_forward_day_skips_the_missing_hour() {
            Instant halfPastMidnight = local("2026-03-08T00:30", NEW_YORK);

            assertThat(day().remaining(null, halfPastMidnight, NEW_YORK)).isEqualTo(Duration.ofMinutes(22 * 60 + 30));
        }

        @Test
        void remaining_on_the_fall_back_day_counts_the_repeated_hour() {
            Instant halfPastMidnight = local("2026-11-01T00:30", NEW_YORK);

            assertThat(day().remaining(null, halfPastMidnight, NEW_YORK)).isEqualTo(Duration.ofMinutes(24 * 60 + 30));
        }

        @Test
        void remaining_after_the_spring_forward_change_is_plain_wall_clock_time() {
            Instant noon = local("2026-03-08T12:00", NEW_YORK);

            assertThat(day().remaining(null, noon, NEW_YORK)).isEqualTo(Duration.ofHours(12));
        }

        @Test
        void a_week_containing_the_spring_forward_day_lasts_167_hours() {
            Instant now = local("2026-03-05T09:00", NEW_YORK); // Thursday before the Sunday change

            Instant start = week().periodStart(now, NEW_YORK);
            Instant reset = week().nextReset(null, now, NEW_YORK);

            assertThat(start).isEqualTo(local("2026-03-02T00:00", NEW_YORK));
            assertThat(Duration.between(start, reset)).isEqualTo(Duration.ofHours(7 * 24 - 1));
        }

        @Test
        void usage_recorded_just_before_local_midnight_expires_at_local_midnight_on_a_dst_day() {
            Instant lastMs = local("2026-03-08T23:59:59.999", NEW_YORK);
            Instant nextDay = local("2026-03-09T00:00", NEW_YORK);

            assertThat(day().isExpired(lastMs, lastMs, NEW_YORK)).isFalse();
            assertThat(day().isExpired(lastMs, nextDay, NEW_YORK)).isTrue();
        }
    }

    @Nested
    class WeekStartsOnMondayInTheBusinessZone {

        // 2026-11-22T16:30Z is Sunday in UTC but Monday 00:30 in Shanghai.
        private final Instant now = Instant.parse("2026-11-22T16:30:00Z");

        @Test
        void the_week_starts_at_shanghai_monday_midnight_while_utc_is_still_sunday() {
            assertThat(now.atZone(UTC).getDayOfWeek()).isEqualTo(java.time.DayOfWeek.SUNDAY);

            assertThat(week().periodStart(now, SHANGHAI)).isEqualTo(Instant.parse("2026-11-22T16:00:00Z"));
        }

        @Test
        void the_same_instant_is_still_in_the_previous_week_in_utc() {
            assertThat(week().periodStart(now, UTC)).isEqualTo(Instant.parse("2026-11-16T00:00:00Z"));
        }

        @Test
        void the_week_resets_at_the_next_shanghai_monday_midnight() {
            assertThat(week().nextReset(null, now, SHANGHAI)).isEqualTo(Instant.parse("2026-11-29T16:00:00Z"));
        }

        @Test
        void usage_from_shanghai_sunday_is_expired_and_usage_from_monday_is_live() {
            assertThat(week().isExpired(Instant.parse("2026-11-22T15:59:59.999Z"), now, SHANGHAI)).isTrue();
            assertThat(week().isExpired(Instant.parse("2026-11-22T16:00:00Z"), now, SHANGHAI)).isFalse();
        }

        @Test
        void the_day_starts_at_shanghai_midnight() {
            assertThat(day().periodStart(now, SHANGHAI)).isEqualTo(Instant.parse("2026-11-22T16:00:00Z"));
            assertThat(day().nextReset(null, now, SHANGHAI)).isEqualTo(Instant.parse("2026-11-23T16:00:00Z"));
        }

        @Test
        void a_monday_itself_starts_its_own_week() {
            Instant mondayMidnight = Instant.parse("2026-11-22T16:00:00Z");

            assertThat(week().periodStart(mondayMidnight, SHANGHAI)).isEqualTo(mondayMidnight);
        }
    }

    @Nested
    class MonthEndsAndLeapDays {

        /**
         * The leap day belongs to February (the month resets on March 1st) and is a day of its own; December rolls
         * over into January of the next year.
         */
        @ParameterizedTest(name = "the {0} of {1} runs from {2} to {3}")
        @CsvSource({
            "month, 2028-02-29T12:00:00Z, 2028-02-01T00:00:00Z, 2028-03-01T00:00:00Z",
            "day, 2028-02-29T12:00:00Z, 2028-02-29T00:00:00Z, 2028-03-01T00:00:00Z",
            "month, 2026-12-31T23:59:59.999Z, 2026-12-01T00:00:00Z, 2027-01-01T00:00:00Z",
            "day, 2026-12-31T23:59:59.999Z, 2026-12-31T00:00:00Z, 2027-01-01T00:00:00Z",
        })
        void leap_day_and_year_end_periods(String window, Instant now, Instant start, Instant reset) {
            Window.Calendar calendar = "month".equals(window) ? month() : day();

            assertThat(calendar.periodStart(now, UTC)).isEqualTo(start);
            assertThat(calendar.nextReset(null, now, UTC)).isEqualTo(reset);
        }

        @Test
        void february_of_a_leap_year_lasts_29_days_and_of_a_common_year_28() {
            Instant feb2028 = Instant.parse("2028-02-10T00:00:00Z");
            Instant feb2027 = Instant.parse("2027-02-10T00:00:00Z");

            assertThat(Duration.between(month().periodStart(feb2028, UTC), month().nextReset(null, feb2028, UTC)))
                    .isEqualTo(Duration.ofDays(29));
            assertThat(Duration.between(month().periodStart(feb2027, UTC), month().nextReset(null, feb2027, UTC)))
                    .isEqualTo(Duration.ofDays(28));
        }

        @Test
        void usage_from_the_leap_day_expires_when_march_begins() {
            Instant leapEvening = Instant.parse("2028-02-29T23:00:00Z");

            assertThat(month().isExpired(leapEvening, Instant.parse("2028-02-29T23:59:59.999Z"), UTC)).isFalse();
            assertThat(month().isExpired(leapEvening, Instant.parse("2028-03-01T00:00:00Z"), UTC)).isTrue();
            assertThat(day().isExpired(leapEvening, Instant.parse("2028-03-01T00:00:00Z"), UTC)).isTrue();
        }

        @Test
        void the_thirty_first_of_january_resets_on_the_first_of_february() {
            Instant jan31 = Instant.parse("2027-01-31T18:00:00Z");

            assertThat(month().nextReset(null, jan31, UTC)).isEqualTo(Instant.parse("2027-02-01T00:00:00Z"));
        }

        @Test
        void a_week_spanning_new_year_starts_on_the_monday_of_the_old_year() {
            Instant newYearsDay = Instant.parse("2027-01-01T10:00:00Z"); // a Friday

            assertThat(week().periodStart(newYearsDay, UTC)).isEqualTo(Instant.parse("2026-12-28T00:00:00Z"));
            assertThat(week().nextReset(null, newYearsDay, UTC)).isEqualTo(Instant.parse("2027-01-04T00:00:00Z"));
        }

        @Test
        void a_month_follows_the_business_zone_not_utc() {
            Instant now = Instant.parse("2026-03-31T20:00:00Z"); // already April 1st 04:00 in Shanghai

            assertThat(month().periodStart(now, SHANGHAI)).isEqualTo(Instant.parse("2026-03-31T16:00:00Z"));
            assertThat(month().periodStart(now, UTC)).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        }
    }

    @Nested
    class ExpiryAndStart {

        private final Instant now = Instant.parse("2026-06-17T09:00:00Z");

        @Test
        void a_window_without_start_is_expired() {
            assertThat(day().isExpired(null, now, UTC)).isTrue();
            assertThat(week().isExpired(null, now, UTC)).isTrue();
            assertThat(month().isExpired(null, now, UTC)).isTrue();
        }

        @Test
        void a_start_at_the_period_start_is_live_and_one_ms_earlier_is_expired() {
            Instant periodStart = day().periodStart(now, UTC);

            assertThat(day().isExpired(periodStart, now, UTC)).isFalse();
            assertThat(day().isExpired(periodStart.minusMillis(1), now, UTC)).isTrue();
        }

        @Test
        void start_at_is_the_period_start_once_expired_and_the_recorded_start_while_live() {
            Instant recorded = Instant.parse("2026-06-17T03:00:00Z");

            assertThat(day().startAt(null, now, UTC)).isEqualTo(Instant.parse("2026-06-17T00:00:00Z"));
            assertThat(day().startAt(Instant.parse("2026-06-16T23:00:00Z"), now, UTC))
                    .isEqualTo(Instant.parse("2026-06-17T00:00:00Z"));
            assertThat(day().startAt(recorded, now, UTC)).isEqualTo(recorded);
        }

        @Test
        void the_next_reset_does_not_depend_on_the_recorded_start() {
            Instant expected = Instant.parse("2026-06-18T00:00:00Z");

            assertThat(day().nextReset(null, now, UTC)).isEqualTo(expected);
            assertThat(day().nextReset(Instant.parse("2026-06-01T00:00:00Z"), now, UTC)).isEqualTo(expected);
        }

        @Test
        void effective_usage_is_zero_once_expired() {
            assertThat(day().effectiveUsage(500, Instant.parse("2026-06-16T12:00:00Z"), now, UTC)).isZero();
            assertThat(day().effectiveUsage(500, Instant.parse("2026-06-17T01:00:00Z"), now, UTC)).isEqualTo(500);
        }

        @Test
        void labels_are_stable() {
            assertThat(day().label()).isEqualTo("day");
            assertThat(week().label()).isEqualTo("week");
            assertThat(month().label()).isEqualTo("month");
        }
    }
}
