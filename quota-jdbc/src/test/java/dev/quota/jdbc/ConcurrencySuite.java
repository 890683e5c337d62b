package dev.quota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.Money;
import dev.quota.core.usage.HourlyUsage;
import dev.quota.core.window.Window;
import dev.quota.core.window.WindowUsage;
import dev.quota.testkit.Threads;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** 32 threads behind a start barrier on one row: every counter ends at the exact sum on every dialect. */
abstract class ConcurrencySuite extends TablesSuite {

    static final String PREFIX = "cc_";
    static final int THREADS = 32;
    static final int ROUNDS = 10;

    ConcurrencySuite() {
        super(PREFIX);
    }

    @Test
    void concurrentDeductionsAndCounterIncrementsEndAtExactSums() throws Exception {
        quota.balances().set(1, Money.ofUnits(1_000));
        Window day = Window.rolling(Duration.ofDays(1));

        Threads.race(THREADS, t -> {
            for (int i = 0; i < ROUNDS; i++) {
                quota.balances().deduct(1, Money.ofNanos(t + 1));
                quota.windowCounters().add("key:1:1d", day, t + 1, Events.T0, ZoneOffset.UTC);
            }
            return null;
        });

        long sum = (long) ROUNDS * THREADS * (THREADS + 1) / 2;
        assertThat(quota.balances().find(1)).contains(Money.ofUnits(1_000).minus(Money.ofNanos(sum)));
        assertThat(quota.windowCounters().find("key:1:1d")).contains(new WindowUsage(sum, Events.T0));
    }

    @Test
    void concurrentFirstCreditsOfAnAbsentBalanceAllCount() throws Exception {
        Threads.race(THREADS, t -> quota.balances().credit(2, Money.ofNanos(3)));

        assertThat(quota.balances().find(2)).contains(Money.ofNanos(3L * THREADS));
    }

    @Test
    void conditionalDeductionsNeverCrossTheFloor() throws Exception {
        quota.balances().set(3, Money.ofNanos(1_000));

        List<Long> successes = Threads.race(THREADS, t -> {
            long ok = 0;
            for (int i = 0; i < ROUNDS; i++) {
                Optional<Money> r = quota.balances().deductIfAtLeast(3, Money.ofNanos(7), Money.ZERO);
                if (r.isPresent()) {
                    assertThat(r.get().isNegative()).isFalse();
                    ok++;
                }
            }
            return ok;
        });

        assertThat(successes.stream().mapToLong(Long::longValue).sum()).isEqualTo(142); // floor(1000 / 7)
        assertThat(quota.balances().find(3)).contains(Money.ofNanos(1_000 - 142 * 7));
    }

    @Test
    void aWindowThatExpiredBetweenIncrementsIsResetExactlyOnce() throws Exception {
        Window fiveHours = Window.rolling(Duration.ofHours(5));
        quota.windowCounters().add("key:9:5h", fiveHours, 1_000, Events.T0, ZoneOffset.UTC);
        Instant expired = Events.T0.plus(Duration.ofHours(5));

        Threads.race(THREADS, t -> quota.windowCounters().add("key:9:5h", fiveHours, 1, expired, ZoneOffset.UTC));

        assertThat(quota.windowCounters().find("key:9:5h")).contains(new WindowUsage(THREADS, expired));
    }

    @Test
    void concurrentFirstIncrementsOfAnAbsentCounterAllCount() throws Exception {
        Window week = Window.calendarWeek();
        ZoneId zone = ZoneId.of("Asia/Shanghai");

        Threads.race(THREADS, t -> quota.windowCounters().add("new", week, 2, Events.T0, zone));

        assertThat(quota.windowCounters().find("new"))
                .contains(new WindowUsage(2L * THREADS, week.startAt(null, Events.T0, zone)));
    }

    @Test
    void concurrentPlatformUsageOfANewUserAllCounts() throws Exception {
        ZoneId zone = ZoneId.of("Asia/Shanghai");

        Threads.race(THREADS, t -> quota.platformQuotas().addUsage(5, "anthropic", Money.ofNanos(4), Events.T0, zone));

        var r = quota.platformQuotas().find(5, "anthropic").orElseThrow();
        assertThat(r.daily().used()).isEqualTo(4L * THREADS);
        assertThat(r.weekly().used()).isEqualTo(4L * THREADS);
        assertThat(r.monthly()).isEqualTo(new WindowUsage(4L * THREADS, Events.T0));
    }

    @Test
    void concurrentSubscriptionUsageAllCounts() throws Exception {
        quota.subscriptions().save(new dev.quota.core.limit.SubscriptionState(6, 1,
                dev.quota.core.limit.SubscriptionStatus.ACTIVE, Events.T0.plus(Duration.ofDays(30)),
                WindowUsage.EMPTY, WindowUsage.EMPTY, WindowUsage.EMPTY));

        Threads.race(THREADS, t -> quota.subscriptions().addUsage(6, 1, Money.ofNanos(5), Events.T0));

        var s = quota.subscriptions().find(6, 1).orElseThrow();
        assertThat(s.daily()).isEqualTo(new WindowUsage(5L * THREADS, Events.T0));
        assertThat(s.monthly()).isEqualTo(new WindowUsage(5L * THREADS, Events.T0));
    }

    @Test
    void concurrentRollupsOfTheSameHourAddUp() throws Exception {
        Instant hour = Instant.parse("2025-03-09T12:00:00Z");

        Threads.race(THREADS, t -> {
            quota.rollups().add(List.of(new HourlyUsage(hour, 1, "m", 1, 10, Money.ofNanos(100)),
                    new HourlyUsage(hour, 2, "m", 1, 1, Money.ofNanos(1))));
            return null;
        });

        assertThat(quota.rollups().find(1L, hour, hour.plusSeconds(3600)))
                .containsExactly(new HourlyUsage(hour, 1, "m", THREADS, 10L * THREADS, Money.ofNanos(100L * THREADS)));
    }
}
