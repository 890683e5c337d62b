package dev.quota.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quota.core.cache.BalanceEntry;
import dev.quota.core.CheckRequest;
import dev.quota.core.Limit;
import dev.quota.core.limit.QuotaWindows;
import dev.quota.core.limit.RpmPlan;
import dev.quota.core.Money;
import dev.quota.core.spi.CacheCheck;
import dev.quota.core.spi.Hold;
import dev.quota.core.spi.ReserveView;
import dev.quota.core.spi.EntryRef;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Checks and reservations of {@link InMemoryBillingCache}: RPM counted only when complete and allowed. */
class CacheAdmissionTest {

    private static final long USER = 42;

    private final MutableClock clock = MutableClock.startingAt("2025-03-10T08:00:30Z");
    private final CacheEntryStore store = new CacheEntryStore(clock, Duration.ofSeconds(10));
    private final CacheHolds holds = new CacheHolds();
    private final InMemoryRpmCounter rpm = new InMemoryRpmCounter();
    private final CacheAdmission admission = new CacheAdmission(store, holds, rpm);

    private CacheCheck check() {
        return new CacheCheck(CheckRequest.builder(USER).build(), new RpmPlan(null, Limit.of(5)), clock.instant(),
                ZoneOffset.UTC);
    }

    private long userRpm() {
        return rpm.count(USER, null, QuotaWindows.RPM.bucketStart(clock.instant()));
    }

    @Test
    void aCheckCountsRpmOnlyWhenCompleteAndAllowed() {
        assertThat(admission.check(check()).rpmCounted()).isFalse();
        store.refill(EntryRef.balance(USER), BalanceEntry.encode(Money.ZERO));
        assertThat(admission.check(check()).rpmCounted()).as("exhausted balance").isFalse();
        assertThat(userRpm()).isZero();
        store.put(EntryRef.balance(USER), BalanceEntry.encode(Money.parse("1")));
        assertThat(admission.check(check()).userRpmCount()).isEqualTo(1);
        assertThat(userRpm()).isEqualTo(1);
    }

    @Test
    void anAdmittedHoldIsRecordedAndAHeldIdIsAdmittedWithoutCountingAgain() {
        store.refill(EntryRef.balance(USER), BalanceEntry.encode(Money.parse("1")));
        Hold hold = new Hold("h1", Money.parse("1"), clock.instant().plusSeconds(60));
        ReserveView first = admission.reserve(check(), hold);
        ReserveView again = admission.reserve(check(), hold);
        assertThat(first.admitted()).isTrue();
        assertThat(holds.holds(USER)).containsExactly(hold);
        assertThat(again.admitted()).isTrue();
        assertThat(again.view().rpmCounted()).isFalse();
        assertThat(userRpm()).isEqualTo(1);
        assertThat(admission.reserve(check(), new Hold("h2", Money.ofNanos(1), hold.expiresAt())).admitted())
                .isFalse();
    }
}
