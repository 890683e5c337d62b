package dev.quota.testkit.gate;

import static dev.quota.testkit.gate.GateFixture.PLATFORM;
import static dev.quota.testkit.gate.GateFixture.USER;
import static dev.quota.testkit.gate.GateFixture.onPlatform;
import static dev.quota.testkit.gate.GateFixture.usage;
import static dev.quota.testkit.gate.GateFixture.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.Reservation;
import dev.quota.core.DenyReason;
import dev.quota.core.Money;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@code reserve} never admits beyond a cap: when the cache cannot take a hold (the user's entry is dirty, or
 * the cache is down) the gate holds locally against the stores, the usage on its way to them and its other
 * local holds, and denies what does not fit.
 */
class BillingGateLocalHoldTest extends HoldGateTest {

    private List<Reservation> reserveFiveTimes(String estimate) {
        List<Reservation> admitted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Reservation r = gate.reserve(onPlatform(), usd(estimate));
            if (r.allowed()) {
                assertThat(r.held()).as("never allowed without a hold").isTrue();
                admitted.add(r);
            } else {
                assertThat(r.decision().reason()).isEqualTo(DenyReason.USER_PLATFORM_DAILY_QUOTA_EXHAUSTED);
            }
        }
        return admitted;
    }

    @Test
    void reservationsOnADirtyEntryAdmitExactlyWhatFits() {
        gate.record(usage(q, "0.60").platform(PLATFORM).build()); // cold cache: the usage marks the entry dirty
        List<Reservation> admitted = reserveFiveTimes("0.20");
        assertThat(admitted).hasSize(2).allMatch(Reservation::local);
    }

    @Test
    void reservationsWithTheCacheDownAdmitExactlyWhatFits() {
        gate.record(usage(q, "0.60").platform(PLATFORM).build());
        q.cacheFaults().failAlways();
        assertThat(reserveFiveTimes("0.20")).hasSize(2).allMatch(Reservation::local);
    }

    @Test
    void settlingALocalHoldRecordsItsUsageAndFreesTheRestOfItsRoom() {
        gate.record(usage(q, "0.60").platform(PLATFORM).build());
        List<Reservation> admitted = reserveFiveTimes("0.20");
        gate.settle(admitted.get(0), usage(q, "0.10").platform(PLATFORM).build());
        gate.flush();
        assertThat(q.platformQuotas().find(USER, PLATFORM).orElseThrow().daily().used()).isEqualTo(usd("0.70").nanos());
        // 0.70 used + 0.20 still held: 0.10 left
        assertThat(gate.reserve(onPlatform(), usd("0.11")).allowed()).isFalse();
        assertThat(gate.reserve(onPlatform(), usd("0.10")).allowed()).isTrue();
    }

    @Test
    void releasingALocalHoldFreesItsRoom() {
        gate.record(usage(q, "0.60").platform(PLATFORM).build());
        List<Reservation> admitted = reserveFiveTimes("0.20");
        gate.release(admitted.get(1));
        gate.release(admitted.get(1)); // idempotent
        assertThat(gate.reserve(onPlatform(), usd("0.20")).allowed()).isTrue();
        assertThat(gate.reserve(onPlatform(), usd("0.01")).allowed()).isFalse();
    }

    @Test
    void aLocalHoldLapsesAfterTheHoldTimeout() {
        gate.record(usage(q, "0.60").platform(PLATFORM).build());
        q.cacheFaults().failAlways();
        assertThat(reserveFiveTimes("0.20")).hasSize(2);
        q.clock().advance(HOLD_TIMEOUT.minusMillis(1));
        assertThat(gate.reserve(onPlatform(), usd("0.01")).allowed()).as("still held").isFalse();
        q.clock().advance(Duration.ofMillis(1));
        assertThat(reserveFiveTimes("0.20")).as("both lapsed").hasSize(2);
    }

    @Test
    void aLiveLocalHoldKeepsTheUsersEntriesFromBeingRefilled() {
        q.cacheFaults().failAlways();
        Reservation r = gate.reserve(onPlatform(), usd("0.50"));
        assertThat(r.local()).isTrue();
        q.cacheFaults().heal();

        assertThat(gate.check(onPlatform()).allowed()).isTrue();
        gate.flush();
        assertThat(q.cache().cachedPlatformQuota(USER, PLATFORM)).as("a refill would not know the hold").isEmpty();
        assertThat(gate.reserve(onPlatform(), usd("0.51")).allowed()).isFalse();

        gate.release(r);
        assertThat(gate.check(onPlatform()).allowed()).isTrue();
        gate.flush();
        assertThat(q.cache().cachedPlatformQuota(USER, PLATFORM)).isPresent();
    }

    @Test
    void concurrentReservationsWithTheCacheDownNeverAdmitBeyondTheCap() throws Exception {
        q.cacheFaults().failAlways();
        int threads = 32;
        AtomicLong admitted = new AtomicLong();
        Race.run(threads, t -> {
            for (int i = 0; i < 5; i++) {
                Money estimate = usd("0.03");
                if (gate.reserve(onPlatform(), estimate).allowed()) {
                    admitted.addAndGet(estimate.nanos());
                }
            }
        });
        assertThat(admitted.get()).as("33 x 0.03 fit in 1.00").isEqualTo(33 * usd("0.03").nanos());
    }
}
