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

    @Test
    void aRenewedLocalHoldNeverLapsesWhileItKeepsBeingRenewed() {
        q.cacheFaults().failAlways();
        Reservation r = gate.reserve(onPlatform(), usd("0.60"));
        assertThat(r.local()).isTrue();
        for (int i = 0; i < 4; i++) {
            q.clock().advance(ALMOST);
            r = gate.renew(r);
            assertThat(r.held()).isTrue();
            assertThat(r.expiresAt()).isEqualTo(q.clock().instant().plus(HOLD_TIMEOUT));
            assertThat(halfFits()).as("still held after %s renewals", i + 1).isFalse();
        }
        q.clock().advance(HOLD_TIMEOUT);
        assertThat(halfFits()).as("lapsed once no longer renewed").isTrue();
    }

    @Test
    void renewingALocalHoldAfterSettleOrReleaseChangesNothing() {
        q.cacheFaults().failAlways();
        Reservation settled = gate.reserve(onPlatform(), usd("0.30"));
        gate.settle(settled, usage(q, "0.10").platform(PLATFORM).build());
        Reservation released = gate.reserve(onPlatform(), usd("0.30"));
        gate.release(released);
        q.clock().advance(Duration.ofMinutes(1));

        assertThat(gate.renew(settled).held()).isFalse();
        assertThat(gate.renew(released).held()).isFalse();
        assertThat(halfFits()).isTrue();
        Reservation nearlyAll = gate.reserve(onPlatform(), usd("0.90"));
        assertThat(nearlyAll.allowed()).as("0.10 used, nothing held").isTrue();
    }

    @Test
    void renewingAReservationThatHoldsNothingReturnsItUnchanged() {
        Reservation denied = gate.reserve(onPlatform(), usd("1.01"));
        assertThat(denied.allowed()).isFalse();
        assertThat(gate.renew(denied)).isSameAs(denied);
        assertThatThrownBy(() -> gate.renew(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRenewedCacheHoldNeverLapsesWhileItKeepsBeingRenewed() {
        Reservation r = gate.reserve(onPlatform(), usd("0.60"));
        assertThat(r.held()).isTrue();
        assertThat(r.local()).isFalse();
        for (int i = 0; i < 4; i++) {
            q.clock().advance(ALMOST);
            q.cacheFaults().resetCalls();
            r = gate.renew(r);
            assertThat(q.cacheFaults().calls()).as("one round trip").containsOnlyKeys("BillingCache.renew");
            assertThat(r.held()).isTrue();
            assertThat(r.expiresAt()).isEqualTo(q.clock().instant().plus(HOLD_TIMEOUT));
            assertThat(halfFits()).as("still held after %s renewals", i + 1).isFalse();
        }
        q.clock().advance(HOLD_TIMEOUT);
        assertThat(halfFits()).as("lapsed once no longer renewed").isTrue();
    }

    @Test
    void renewingACacheHoldAfterSettleOrReleaseChangesNothing() {
        Reservation settled = gate.reserve(onPlatform(), usd("0.30"));
        gate.settle(settled, usage(q, "0.10").platform(PLATFORM).build());
        Reservation released = gate.reserve(onPlatform(), usd("0.30"));
        gate.release(released);
        q.clock().advance(Duration.ofMinutes(1));

        assertThat(gate.renew(settled).held()).isFalse();
        assertThat(gate.renew(released).held()).isFalse();
        assertThat(q.cache().holds(USER)).isEmpty();
        assertThat(gate.reserve(onPlatform(), usd("0.90")).allowed()).as("0.10 used, nothing held").isTrue();
    }
}
