package dev.quota.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.Money;
import dev.quota.core.UsageEvent;
import dev.quota.core.window.WindowUsage;
import java.time.Instant;
import java.time.ZoneId;

/** Shared values of the contract suites. */
final class Fixtures {

    /** A business zone east of UTC (no DST). */
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    /** A business zone west of UTC, with DST. */
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    /** 2^53: above this, a double no longer holds every integer. */
    static final long TWO_POW_53 = 1L << 53;

    private Fixtures() {
    }

    static Money usd(String amount) {
        return Money.parse(amount);
    }

    static Money nanos(long nanos) {
        return Money.ofNanos(nanos);
    }

    static Instant at(String iso) {
        return Instant.parse(iso);
    }

    /** A minimal successful balance-mode event. */
    static UsageEvent.Builder event(String requestId, long userId, Money cost, Instant at) {
        return UsageEvent.builder(requestId, userId).totalCost(cost).actualCost(cost).occurredAt(at);
    }

    /** Asserts that every one of {@code windows} has counted {@code used} nano-units, whatever its start. */
    static void assertUsed(long used, WindowUsage... windows) {
        for (WindowUsage window : windows) {
            assertThat(window.used()).isEqualTo(used);
        }
    }
}
