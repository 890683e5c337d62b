package dev.quota.testkit.gate;

import dev.quota.core.BillingGate;
import dev.quota.core.CheckRequest;
import dev.quota.core.Limit;
import dev.quota.core.limit.PeriodLimits;
import dev.quota.core.Money;
import dev.quota.core.BillingMode;
import dev.quota.core.UsageEvent;
import dev.quota.testkit.InMemoryQuota;
import dev.quota.testkit.MutableClock;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicLong;

/** Shared set-up of the BillingGate tests: the in-memory stack in Asia/Shanghai on a MutableClock. */
final class GateFixture {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final long USER = 42;
    static final long KEY = 7;
    static final long GROUP = 3;
    static final String PLATFORM = "anthropic";

    private static final AtomicLong IDS = new AtomicLong();

    private GateFixture() {
    }

    /** Wednesday 2026-11-18 10:00 in Shanghai. */
    static InMemoryQuota quota() {
        return InMemoryQuota.create(MutableClock.startingAt("2026-11-18T02:00:00Z"), SHANGHAI);
    }

    static BillingGate gate(InMemoryQuota q) {
        return q.gateBuilder().platforms("anthropic", "openai").build();
    }

    static Money usd(String amount) {
        return Money.parse(amount);
    }

    static CheckRequest.Builder request() {
        return CheckRequest.builder(USER).noGroupRpmOverride();
    }

    /** The stack with {@link #USER} holding 100 USD and a daily {@link #PLATFORM} quota of {@code dailyCap}. */
    static InMemoryQuota quotaWithDailyPlatformCap(String dailyCap) {
        InMemoryQuota q = quota();
        q.balances().set(USER, usd("100"));
        q.platformQuotas().setLimits(USER, PLATFORM, new PeriodLimits(Limit.of(usd(dailyCap)), Limit.unlimited(),
                Limit.unlimited()));
        return q;
    }

    /** @return a check of {@link #USER} on {@link #PLATFORM} */
    static CheckRequest onPlatform() {
        return request().platform(PLATFORM).build();
    }

    static UsageEvent.Builder usage(InMemoryQuota q, String cost) {
        return UsageEvent.builder("req-" + IDS.incrementAndGet(), USER).totalCost(usd(cost))
                .occurredAt(q.clock().instant()).billingMode(BillingMode.BALANCE);
    }
}
