package dev.quota.testkit.gate;

import static dev.quota.testkit.gate.GateFixture.PLATFORM;
import static dev.quota.testkit.gate.GateFixture.USER;
import static dev.quota.testkit.gate.GateFixture.onPlatform;
import static dev.quota.testkit.gate.GateFixture.request;
import static dev.quota.testkit.gate.GateFixture.usage;
import static dev.quota.testkit.gate.GateFixture.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.Reservation;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code renew} keeps a long request's hold alive: a hold renewed before it lapses never lapses while it keeps
 * being renewed, and renewing after settle or release changes nothing.
 */
class BillingGateRenewTest extends HoldGateTest {

    private static final Duration ALMOST = HOLD_TIMEOUT.minusSeconds(1);

    /** @return true when 0.50 more fits next to what is held */
    private boolean halfFits() {
        Reservation probe = gate.reserve(onPlatform(), usd("0.50"));
        gate.release(probe);
        return probe.allowed();
    }

    /** With the cache down the hold is a local one; with the cache up it lives in the cache. */
    @ParameterizedTest(name = "cache down: {0}")
    @ValueSource(booleans = {true, false})
    void aRenewedHoldNeverLapsesWhileItKeepsBeingRenewed(boolean cacheDown) {
        takeTheCacheDownIf(cacheDown);
        Reservation r = gate.reserve(onPlatform(), usd("0.60"));
        assertThat(r.held()).isTrue();
        assertThat(r.local()).isEqualTo(cacheDown);
        for (int i = 0; i < 4; i++) {
            q.clock().advance(ALMOST);
            q.cacheFaults().resetCalls();
            r = gate.renew(r);
            if (!cacheDown) {
                assertThat(q.cacheFaults().calls()).as("one round trip").containsOnlyKeys("BillingCache.renew");
            }
            assertThat(r.held()).isTrue();
            assertThat(r.expiresAt()).isEqualTo(q.clock().instant().plus(HOLD_TIMEOUT));
            assertThat(halfFits()).as("still held after %s renewals", i + 1).isFalse();
        }
        q.clock().advance(HOLD_TIMEOUT);
        assertThat(halfFits()).as("lapsed once no longer renewed").isTrue();
    }

    @ParameterizedTest(name = "cache down: {0}")
    @ValueSource(booleans = {true, false})
    void renewingAHoldAfterSettleOrReleaseChangesNothing(boolean cacheDown) {
        takeTheCacheDownIf(cacheDown);
        Reservation settled = gate.reserve(onPlatform(), usd("0.30"));
        gate.settle(settled, usage(q, "0.10").platform(PLATFORM).build());
        Reservation released = gate.reserve(onPlatform(), usd("0.30"));
        gate.release(released);
        q.clock().advance(Duration.ofMinutes(1));

        assertThat(gate.renew(settled).held()).isFalse();
        assertThat(gate.renew(released).held()).isFalse();
        if (cacheDown) {
            assertThat(halfFits()).isTrue();
        } else {
            assertThat(q.cache().holds(USER)).isEmpty();
        }
        assertThat(gate.reserve(onPlatform(), usd("0.90")).allowed()).as("0.10 used, nothing held").isTrue();
    }

    @Test
    void renewingAReservationThatHoldsNothingReturnsItUnchanged() {
        Reservation denied = gate.reserve(onPlatform(), usd("1.01"));
        assertThat(denied.allowed()).isFalse();
        assertThat(gate.renew(denied)).isSameAs(denied);
        assertThatThrownBy(() -> gate.renew(null)).isInstanceOf(IllegalArgumentException.class);
    }

    private void takeTheCacheDownIf(boolean cacheDown) {
        if (cacheDown) {
            q.cacheFaults().failAlways();
        }
    }
}
