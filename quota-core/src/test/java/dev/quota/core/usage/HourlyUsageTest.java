package dev.quota.core.usage;

import dev.quota.core.UsageEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.Money;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class HourlyUsageTest {

    private static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata"); // +05:30

    @Test
    void the_hour_is_an_hour_boundary_in_the_business_zone() {
        assertThat(HourlyUsage.hourOf(Instant.parse("2026-11-18T10:15:30Z"), KOLKATA))
                .isEqualTo(Instant.parse("2026-11-18T09:30:00Z"));
        assertThat(HourlyUsage.hourOf(Instant.parse("2026-11-18T10:15:30Z"), ZoneOffset.UTC))
                .isEqualTo(Instant.parse("2026-11-18T10:00:00Z"));
    }

    @Test
    void the_repeated_fall_back_hour_in_new_york_is_two_separate_hours() {
        ZoneId newYork = ZoneId.of("America/New_York");

        assertThat(HourlyUsage.hourOf(Instant.parse("2026-11-01T05:30:00Z"), newYork))
                .isEqualTo(Instant.parse("2026-11-01T05:00:00Z"));
        assertThat(HourlyUsage.hourOf(Instant.parse("2026-11-01T06:30:00Z"), newYork))
                .isEqualTo(Instant.parse("2026-11-01T06:00:00Z"));
    }

    @Test
    void rolls_up_one_event() {
        UsageEvent e = UsageEvent.builder("r", 42).occurredAt(Instant.parse("2026-11-18T10:15:30Z"))
                .model("claude").tokens(1, 2, 3, 4).totalCost(Money.parse("0.5")).actualCost(Money.parse("0.25"))
                .build();

        assertThat(HourlyUsage.of(e, ZoneOffset.UTC)).isEqualTo(new HourlyUsage(
                Instant.parse("2026-11-18T10:00:00Z"), 42, "claude", 1, 10, Money.parse("0.25")));
    }

    @Test
    void an_event_without_model_rolls_up_under_the_empty_model() {
        UsageEvent e = UsageEvent.builder("r", 42).occurredAt(Instant.parse("2026-11-18T10:15:30Z")).build();

        assertThat(HourlyUsage.of(e, ZoneOffset.UTC).model()).isEmpty();
    }

    @Test
    void adds_roll_ups_of_the_same_hour_user_and_model() {
        Instant hour = Instant.parse("2026-11-18T10:00:00Z");
        HourlyUsage a = new HourlyUsage(hour, 42, "m", 1, 10, Money.parse("0.1"));
        HourlyUsage b = new HourlyUsage(hour, 42, "m", 2, 5, Money.parse("0.2"));

        assertThat(a.plus(b)).isEqualTo(new HourlyUsage(hour, 42, "m", 3, 15, Money.parse("0.3")));
    }

    @Test
    void refuses_to_add_roll_ups_of_different_keys() {
        Instant hour = Instant.parse("2026-11-18T10:00:00Z");
        HourlyUsage a = new HourlyUsage(hour, 42, "m", 1, 10, Money.ZERO);

        assertThatThrownBy(() -> a.plus(new HourlyUsage(hour.plusSeconds(3600), 42, "m", 1, 1, Money.ZERO)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.plus(new HourlyUsage(hour, 43, "m", 1, 1, Money.ZERO)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.plus(new HourlyUsage(hour, 42, "n", 1, 1, Money.ZERO)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejects_negative_counts() {
        Instant hour = Instant.parse("2026-11-18T10:00:00Z");

        assertThatThrownBy(() -> new HourlyUsage(hour, 42, "m", -1, 0, Money.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HourlyUsage(hour, 42, "m", 0, 0, Money.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
