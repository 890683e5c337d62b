package dev.quota.testkit.gate;

import static dev.quota.testkit.gate.GateFixture.PLATFORM;
import static dev.quota.testkit.gate.GateFixture.USER;
import static dev.quota.testkit.gate.GateFixture.request;
import static dev.quota.testkit.gate.GateFixture.usage;
import static dev.quota.testkit.gate.GateFixture.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.BillingGate;
import dev.quota.core.Decision;
import dev.quota.core.DenyReason;
import dev.quota.core.Limit;
import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.limit.PlatformQuotaRecord;
import dev.quota.core.Money;
import dev.quota.core.spi.CacheEntryKind;
import dev.quota.core.UsageEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Window rollover at the calendar boundary of the business zone. */
class BillingGateRolloverTest extends GateTest {

    /** Sunday 2026-11-22 23:59 in Shanghai. */
    private static final Instant SUNDAY_2359 = Instant.parse("2026-11-22T15:59:00Z");
    private static final Instant MONDAY_0000 = Instant.parse("2026-11-22T16:00:00Z");

    private BillingGate gate;

    @BeforeEach
    void setUp() {
        q.clock().set(SUNDAY_2359);
        gate = closeAfter(GateFixture.gate(q));
        q.balances().set(USER, usd("100"));
        q.platformQuotas().setLimits(USER, PLATFORM,
                new PeriodLimits(Limit.unlimited(), Limit.of(usd("1")), Limit.unlimited()));
    }

    private Decision check() {
        return gate.check(request().platform(PLATFORM).build());
    }

    private void warmCache() {
        assertThat(check().allowed()).isTrue();
        gate.flush();
        assertThat(q.cache().cachedPlatformQuota(USER, PLATFORM)).isPresent();
    }

    @Test
    void aWeeklyQuotaExhaustedOnSundayNightIsAllowedAtMondayMidnight() {
        warmCache();
        gate.record(usage(q, "1").platform(PLATFORM).build());
        Decision sunday = check();
        assertThat(sunday.reason()).isEqualTo(DenyReason.USER_PLATFORM_WEEKLY_QUOTA_EXHAUSTED);
        assertThat(sunday.resetsAt()).isEqualTo(MONDAY_0000);
        assertThat(sunday.retryAfterSeconds()).contains(60L);

        q.clock().set(MONDAY_0000);
        long loads = q.storeFaults().calls("PlatformQuotaStore.find");
        assertThat(check().allowed()).isTrue();
        assertThat(q.storeFaults().calls("PlatformQuotaStore.find")).as("served from the cache").isEqualTo(loads);
    }

    @Test
    void anExpiredEntryIsResetByOverwritingNotDeleting() {
        warmCache();
        gate.record(usage(q, "1").platform(PLATFORM).build());
        q.clock().set(MONDAY_0000);
        gate.record(usage(q, "0.25").platform(PLATFORM).build());

        assertThat(q.cache().rawEntry(CacheEntryKind.PLATFORM_QUOTA, USER, PLATFORM)).isPresent();
        PlatformQuotaRecord cached = q.cache().cachedPlatformQuota(USER, PLATFORM).orElseThrow();
        assertThat(cached.weekly().used()).isEqualTo(usd("0.25").nanos());
        assertThat(cached.weekly().start()).isEqualTo(MONDAY_0000);
        PlatformQuotaRecord stored = q.platformQuotas().find(USER, PLATFORM).orElseThrow();
        assertThat(stored.weekly().used()).isEqualTo(usd("0.25").nanos());
        assertThat(stored.weekly().start()).isEqualTo(MONDAY_0000);
    }

    @Test
    void incrementsRacingTheRolloverAreNotLost() throws Exception {
        warmCache();
        gate.record(usage(q, "1").platform(PLATFORM).build());
        q.clock().set(MONDAY_0000);
        int threads = 32;
        List<UsageEvent> events = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            events.add(usage(q, "0.01").platform(PLATFORM).build());
        }
        Race.run(threads, t -> gate.record(events.get(t)));
        gate.flush();
        Money expected = usd("0.01").times(threads);
        assertThat(q.cache().cachedPlatformQuota(USER, PLATFORM).orElseThrow().weekly().used())
                .isEqualTo(expected.nanos());
        assertThat(q.platformQuotas().find(USER, PLATFORM).orElseThrow().weekly().used()).isEqualTo(expected.nanos());
        assertThat(q.platformQuotas().find(USER, PLATFORM).orElseThrow().weekly().start()).isEqualTo(MONDAY_0000);
    }

    @Test
    void theDailyWindowRollsAtLocalMidnightNotUtcMidnight() {
        q.platformQuotas().setLimits(USER, PLATFORM,
                new PeriodLimits(Limit.of(usd("1")), Limit.unlimited(), Limit.unlimited()));
        q.clock().set(Instant.parse("2026-11-18T15:30:00Z")); // 23:30 Shanghai
        gate.record(usage(q, "1").platform(PLATFORM).build());
        assertThat(check().reason()).isEqualTo(DenyReason.USER_PLATFORM_DAILY_QUOTA_EXHAUSTED);
        q.clock().set(Instant.parse("2026-11-18T16:00:00Z")); // 00:00 Shanghai, still the 18th in UTC
        assertThat(check().allowed()).isTrue();
    }
}
