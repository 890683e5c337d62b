package dev.quota.testkit.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quota.core.BatchingUsageWriter;
import dev.quota.core.BackendUnavailableException;
import dev.quota.core.Money;
import dev.quota.core.ToldProgress;
import dev.quota.core.spi.UsageLedger;
import dev.quota.core.spi.UsageSink;
import dev.quota.core.spi.UsageSink.Outcome;
import dev.quota.core.UsageEvent;
import dev.quota.core.usage.UsageFilter;
import dev.quota.core.usage.UsageKey;
import dev.quota.testkit.Faults;
import dev.quota.testkit.InMemoryBalanceStore;
import dev.quota.testkit.InMemoryPlatformQuotaStore;
import dev.quota.testkit.InMemorySubscriptionStore;
import dev.quota.testkit.InMemoryUsageLedger;
import dev.quota.testkit.InMemoryUsageLog;
import dev.quota.testkit.InMemoryWindowCounterStore;
import dev.quota.testkit.MutableClock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@link UsageSink} protocol on {@link BatchingUsageWriter}: slots, per-event outcomes, group commit. */
class BatchingUsageWriterOutcomeTest {

    private static final ZoneId ZONE = ZoneOffset.UTC;
    private static final long SAFETY_SECONDS = 30;

    private final Faults faults = new Faults();
    private final MutableClock clock = MutableClock.startingAt("2026-11-18T02:00:00Z");
    private InMemoryUsageLedger ledger;
    private final List<BatchingUsageWriter> writers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        ledger = new InMemoryUsageLedger(new InMemoryUsageLog(faults), new InMemoryBalanceStore(faults),
                new InMemorySubscriptionStore(faults), new InMemoryPlatformQuotaStore(faults),
                new InMemoryWindowCounterStore(faults), faults);
    }

    @AfterEach
    void tearDown() {
        faults.heal();
        writers.forEach(BatchingUsageWriter::close);
    }

    private BatchingUsageWriter.Builder writer(UsageLedger target) {
        return BatchingUsageWriter.builder(target, clock, ZONE).maxRetries(0)
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2))
                .failedBatchDelay(Duration.ofMillis(1), Duration.ofMillis(5)).closeTimeout(Duration.ZERO);
    }

    private BatchingUsageWriter started(BatchingUsageWriter.Builder b) {
        BatchingUsageWriter w = b.build();
        writers.add(w);
        return w;
    }

    private UsageEvent event(String id, long user) {
        return UsageEvent.builder(id, user).totalCost(Money.parse("1")).occurredAt(clock.instant()).build();
    }

    @Test
    void eachEventSettlesWithItsOwnOutcomeAndAPoisonEventIsNeverRetried() {
        BatchingUsageWriter w = started(writer(new PoisonRefusingLedger(ledger)).batchSize(10).linger(Duration.ofMillis(1)));
        w.submit(event("dup", 1));
        w.flush();
        ToldProgress stored = new ToldProgress();
        ToldProgress duplicate = new ToldProgress();
        ToldProgress poison = new ToldProgress();
        w.submit(event("new", 2), stored);
        w.submit(event("dup", 1), duplicate);
        w.submit(UsageEvent.builder("bad", 3).model("poison").totalCost(Money.parse("1"))
                .occurredAt(clock.instant()).build(), poison);
        w.flush();

        assertThat(stored.calls).containsExactly("committing", "STORED");
        assertThat(duplicate.calls).containsExactly("committing", "DUPLICATE");
        assertThat(poison.calls).containsExactly("committing", "rejected: model refused", "REJECTED");
        assertThat(w.rejected()).isEqualTo(1);
        assertThat(w.duplicates()).isEqualTo(1);
        assertThat(w.newlyStored()).isEqualTo(2);
        assertThat(w.failedAttempts()).isZero();
        assertThat(w.pending()).isZero();
        assertThat(ledger.log().totals(UsageFilter.all()).requests()).isEqualTo(2);
    }

    @Test
    void aReservedPlaceCountsAgainstCapacityUntilUsedOrCancelled() {
        BatchingUsageWriter w = started(writer(ledger).capacity(2).batchSize(1).maxSubmitWait(Duration.ZERO));
        UsageSink.Slot a = w.reserve();
        UsageSink.Slot b = w.reserve();
        assertThatThrownBy(w::reserve).isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("not taken");
        a.cancel();
        UsageSink.Slot c = w.reserve();
        assertThatThrownBy(a::cancel).isInstanceOf(IllegalStateException.class);
        b.submit(event("b", 1), UsageSink.Progress.NONE);
        c.submit(event("c", 1), UsageSink.Progress.NONE);
        assertThatThrownBy(() -> c.submit(event("c2", 1), UsageSink.Progress.NONE))
                .isInstanceOf(IllegalStateException.class);
        w.flush();
        assertThat(w.submitted()).isEqualTo(2);
        assertThat(ledger.log().totals(UsageFilter.all()).requests()).isEqualTo(2);
    }

    @Test
    void aSynchronousStoreIsWrittenWithoutLingeringAndReturnsAfterTheCommit() {
        BatchingUsageWriter w = started(writer(ledger).linger(Duration.ofDays(1)).batchSize(1_000));
        w.submit(event("lingering", 1)); // would wait a day for its batch to fill
        ToldProgress told = new ToldProgress();

        Outcome outcome = w.reserve().store(event("sync", 1), told);

        assertThat(outcome).isEqualTo(Outcome.STORED);
        assertThat(told.calls).containsExactly("committing", "STORED");
        assertThat(ledger.log().find(new UsageKey(1, "sync"))).isPresent();
        assertThat(w.store(event("sync", 1))).isEqualTo(Outcome.DUPLICATE);
    }

    @Test
    void aFailedSynchronousStoreThrowsAndIsNeverStoredLater() throws Exception {
        BatchingUsageWriter w = started(writer(ledger).linger(Duration.ZERO));
        faults.failAlways();
        w.submit(event("async", 1));
        ToldProgress told = new ToldProgress();

        assertThatThrownBy(() -> w.reserve().store(event("sync", 1), told))
                .isInstanceOf(BackendUnavailableException.class);
        assertThat(told.calls).containsExactly("committing", "ABANDONED");

        faults.heal();
        w.flush();
        assertThat(ledger.log().find(new UsageKey(1, "async"))).as("asynchronous events are retried").isPresent();
        assertThat(ledger.log().find(new UsageKey(1, "sync"))).as("the failed store is not").isEmpty();
        assertThat(w.abandoned()).isEqualTo(1);
        assertThat(w.pending()).isZero();
    }

    @Test
    void aSlotReservedBeforeCloseIsStillHonoured() throws Exception {
        BatchingUsageWriter w = writer(ledger).closeTimeout(Duration.ofSeconds(SAFETY_SECONDS)).build();
        UsageSink.Slot slot = w.reserve();
        Thread closer = new Thread(w::close);
        closer.start();
        ToldProgress told = new ToldProgress();
        slot.submit(event("late", 1), told);
        closer.join(TimeUnit.SECONDS.toMillis(SAFETY_SECONDS));
        assertThat(closer.isAlive()).isFalse();
        assertThat(told.calls).containsExactly("committing", "STORED");
        assertThat(ledger.log().find(new UsageKey(1, "late"))).isPresent();
        assertThatThrownBy(w::reserve).isInstanceOf(IllegalStateException.class);
    }
}
