package dev.quota.testkit.gate;

import dev.quota.core.BillingGate;
import dev.quota.testkit.InMemoryQuota;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;

/**
 * The set-up of the hold tests: {@link GateFixture#USER} with a daily {@link GateFixture#PLATFORM} cap of 1.00
 * ({@link GateFixture#quotaWithDailyPlatformCap}) and a gate whose holds last {@link #HOLD_TIMEOUT}.
 */
abstract class HoldGateTest extends GateTest {

    static final Duration HOLD_TIMEOUT = Duration.ofMinutes(5);

    /** The gate of the running test. */
    BillingGate gate;

    @Override
    InMemoryQuota stack() {
        return GateFixture.quotaWithDailyPlatformCap("1.00");
    }

    @BeforeEach
    final void openHoldGate() {
        gate = open(q.gateBuilder().holdTimeout(HOLD_TIMEOUT));
    }
}
