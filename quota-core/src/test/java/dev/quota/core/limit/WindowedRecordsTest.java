package dev.quota.core.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.window.WindowUsage;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Recording a cost into the records the evaluator reads resets each expired window on its own. */
class WindowedRecordsTest {

    private static final Instant NOW = Instant.parse("2026-11-18T10:15:30Z");

    @Test
    void key_usage_resets_only_the_expired_windows() {
        Instant sixHoursAgo = NOW.minus(Duration.ofHours(6));
        KeyUsage usage = new KeyUsage(42, 99, new WindowUsage(100, sixHoursAgo), new WindowUsage(100, sixHoursAgo),
                WindowUsage.EMPTY);

        KeyUsage after = usage.addUsage(5, NOW);

        assertThat(after.fiveHours()).isEqualTo(new WindowUsage(5, NOW));
        assertThat(after.oneDay()).isEqualTo(new WindowUsage(105, sixHoursAgo));
        assertThat(after.sevenDays()).isEqualTo(new WindowUsage(5, NOW));
    }

    @Test
    void subscription_usage_resets_only_the_expired_windows() {
        Instant twoDaysAgo = NOW.minus(Duration.ofDays(2));
        SubscriptionState sub = new SubscriptionState(42, 7, SubscriptionStatus.ACTIVE, NOW.plus(Duration.ofDays(9)),
                new WindowUsage(100, twoDaysAgo), new WindowUsage(100, twoDaysAgo), new WindowUsage(100, twoDaysAgo));

        SubscriptionState after = sub.addUsage(5, NOW);

        assertThat(after.daily()).isEqualTo(new WindowUsage(5, NOW));
        assertThat(after.weekly()).isEqualTo(new WindowUsage(105, twoDaysAgo));
        assertThat(after.monthly()).isEqualTo(new WindowUsage(105, twoDaysAgo));
        assertThat(after.status()).isEqualTo(SubscriptionStatus.ACTIVE);
    }

    @Test
    void platform_usage_resets_calendar_windows_to_the_local_period_start() {
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");
        Instant yesterdayLocal = Instant.parse("2026-11-17T10:00:00Z");
        PlatformQuotaRecord rec = new PlatformQuotaRecord(42, "anthropic", null,
                new WindowUsage(100, yesterdayLocal), new WindowUsage(100, yesterdayLocal),
                WindowUsage.EMPTY);

        PlatformQuotaRecord after = rec.addUsage(5, NOW, shanghai);

        assertThat(after.daily()).isEqualTo(new WindowUsage(5, Instant.parse("2026-11-17T16:00:00Z")));
        assertThat(after.weekly()).isEqualTo(new WindowUsage(105, yesterdayLocal));
        assertThat(after.monthly()).isEqualTo(new WindowUsage(5, NOW));
        assertThat(after.limits()).isNull();
    }

    @Test
    void the_platform_windows_are_calendar_day_calendar_week_and_thirty_rolling_days() {
        assertThat(QuotaWindows.platform(Period.DAILY)).isEqualTo(dev.quota.core.window.Window.calendarDay());
        assertThat(QuotaWindows.platform(Period.WEEKLY)).isEqualTo(dev.quota.core.window.Window.calendarWeek());
        assertThat(QuotaWindows.platform(Period.MONTHLY))
                .isEqualTo(dev.quota.core.window.Window.rolling(Duration.ofDays(30)));
    }

    @Test
    void the_subscription_windows_are_one_seven_and_thirty_rolling_days() {
        assertThat(QuotaWindows.subscription(Period.DAILY))
                .isEqualTo(dev.quota.core.window.Window.rolling(Duration.ofDays(1)));
        assertThat(QuotaWindows.subscription(Period.WEEKLY))
                .isEqualTo(dev.quota.core.window.Window.rolling(Duration.ofDays(7)));
        assertThat(QuotaWindows.subscription(Period.MONTHLY))
                .isEqualTo(dev.quota.core.window.Window.rolling(Duration.ofDays(30)));
    }

    @Test
    void the_rpm_window_is_a_fixed_minute() {
        assertThat(QuotaWindows.RPM).isEqualTo(dev.quota.core.window.Window.fixed(Duration.ofMinutes(1)));
    }
}
